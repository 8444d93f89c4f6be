"""Public tracking of a case with its filing number and verification code."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def tracking(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/tracking.html", {})
