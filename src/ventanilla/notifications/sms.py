"""Text messages through a provider plugin.

A provider is a class with a `send` method taking an `SmsMessage` and returning an `SmsResult`;
`SMS_PROVIDER` names the one in use (a dotted path). The logging provider writes the message
to the log: enough for development and tests, and a safe default.
"""

from __future__ import annotations

import abc
import logging
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


@dataclass(frozen=True)
class SmsResult:
    accepted: bool
    provider_id: str = ""
    error: str = ""


class SmsProvider(abc.ABC):
    @abc.abstractmethod
    def send(self, message: SmsMessage) -> SmsResult:
        """Hand one message to the gateway; never raise for a refused message."""


class LoggingSmsProvider(SmsProvider):
    """Writes each message to the log instead of sending it."""

    def send(self, message: SmsMessage) -> SmsResult:
        logger.info("sms to %s: %s", message.to, message.body)
        return SmsResult(accepted=True, provider_id="log")


@cache
def provider() -> SmsProvider:
    provider_class: type[SmsProvider] = import_string(settings.SMS_PROVIDER)
    return provider_class()
