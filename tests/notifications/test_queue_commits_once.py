"""With the database as the task queue (production and `make run`), a notification's delivery
task is written in the same transaction as the notification: one commit, and the worker sees
both or neither — a rolled-back filing leaves no task behind, a committed one never lacks it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from ventanilla.notifications.models import Channel, Event, Notification
from ventanilla.notifications.services import Recipient, notification_queue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}
    }


def queue(address: str) -> None:
    notification_queue(
        event=Event.CASE_FILED,
        recipients=[Recipient(channel=Channel.EMAIL, address=address)],
        context={"code": "482913"},
    )


def test_the_task_commits_with_its_notification() -> None:
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        queue("ana@example.co")
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    assert statements.count("INSERT") == 2 and statements[-1] == "COMMIT", statements
    assert statements.count("COMMIT") == 1
    assert DBTaskResult.objects.count() == Notification.objects.count() == 1


def test_a_rolled_back_transaction_leaves_no_task() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        queue("ana@example.co")
        raise RuntimeError("the filing failed after its notification was written")
    assert DBTaskResult.objects.count() == Notification.objects.count() == 0
