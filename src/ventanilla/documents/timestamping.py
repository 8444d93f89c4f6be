"""An RFC 3161 timestamp service over plain HTTP(S), for PAdES B-T signatures."""

from __future__ import annotations

import urllib.request

from asn1crypto import tsp
from pyhanko.sign import timestamps

from ventanilla.documents.signing import SigningUnavailable


class UrlTimeStamper(timestamps.TimeStamper):
    """An RFC 3161 service over plain HTTP(S) POST (pyHanko's own client needs aiohttp)."""

    def __init__(self, url: str, timeout: float = 10) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.url = url
        self.timeout = timeout

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        request = urllib.request.Request(  # noqa: S310 - the operator's configured service
            self.url,
            data=req.dump(),
            headers={"Content-Type": "application/timestamp-query"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return tsp.TimeStampResp.load(response.read())
        except OSError as error:
            raise SigningUnavailable(f"timestamp service: {error}") from error
