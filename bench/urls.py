"""The project's URLs plus the ceiling: a bare Django view doing one indexed SELECT, served by
the same processes, middleware and database as every other figure of the run."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from ventanilla.config.urls import (  # noqa: F401 - the project's error pages, as in production
    handler400,
    handler403,
    handler404,
    handler500,
)
from ventanilla.config.urls import urlpatterns as project_urlpatterns


def ceiling(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM organization_entity WHERE id = %s", [1])
        row = cursor.fetchone()
    return HttpResponse(row[0] if row else "", content_type="text/plain")


urlpatterns = [path("bench/ceiling", ceiling), *project_urlpatterns]
