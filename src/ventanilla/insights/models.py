"""What the figures are made of.

`CaseFact` keeps, per case, what the dashboards, the legal reports and the open data need and
the case row does not say: how it ended, on which local day, how many business days its answer
took, whether that was within the term, and how many information requests and internal
transfers it went through. The case events keep it current (`facts.py`); a case that nothing
has happened to since filing has no row and counts as open.

`MonthFigure`, `DaysFigure` and `OpenFigure` are materialised: the worker rebuilds them from the
cases and their facts (`refresh.py`), so a dashboard over a million cases sums a few thousand
rows instead of scanning the cases. `Refresh` says when they were last rebuilt, which every page
shows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Entity


class Outcome(models.TextChoices):
    OPEN = "open", _("abierta")
    ANSWERED = "answered", _("respondida")
    REFUSED = "refused", _("negada o rechazada")
    WITHDRAWN = "withdrawn", _("desistida")


class CaseFact(models.Model):
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    # Business days from reception to the answer, in the handling entity's calendar, the days
    # the clock stood still for an information request not counted (Ley 1755, art. 17).
    answer_days = models.PositiveIntegerField(null=True, blank=True)
    on_time = models.BooleanField(null=True)
    information_requests = models.PositiveSmallIntegerField(default=0)
    internal_transfers = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("hechos del caso")
        verbose_name_plural = _("hechos de los casos")
        indexes: ClassVar = [models.Index(fields=["closed_on"], name="casefact_closed_on")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"


class MonthFigure(models.Model):
    """What happened in one month to the cases of one service in one dependency's subtree (the
    dependency and everything below it): filed (by the month of filing) and closed (by the
    month of closing, with the time they took). Every dependency has its own rows, so a
    dashboard of any subtree reads the rows of one dependency, not of all below it."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    dependency = models.ForeignKey(Dependency, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # its first day
    received = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    answer_days_sum = models.PositiveBigIntegerField(default=0)
    with_information_request = models.PositiveIntegerField(default=0)
    paused_days_sum = models.PositiveBigIntegerField(default=0)
    extended = models.PositiveIntegerField(default=0)
    internal_transfers = models.PositiveIntegerField(default=0)
    transferred_out = models.PositiveIntegerField(default=0)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["dependency", "month"], name="monthfigure_dependency_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_id}"


class DaysFigure(models.Model):
    """How many answers of one month, dependency subtree and service took `days` business
    days: the distribution the medians and 90th percentiles are read from."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    dependency = models.ForeignKey(Dependency, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    days = models.PositiveIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["dependency", "month"], name="daysfigure_dependency_month")
        ]

    def __str__(self) -> str:
        return f"{self.days}: {self.count}"


class OpenFigure(models.Model):
    """The open cases of one dependency subtree, service and official, by their term's state."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    dependency = models.ForeignKey(Dependency, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    sla_state = models.CharField(max_length=20)
    count = models.PositiveIntegerField()
    days_overdue_sum = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["dependency"], name="openfigure_dependency")]

    def __str__(self) -> str:
        return f"{self.sla_state}: {self.count}"


class Refresh(models.Model):
    """When the materialised figures were last rebuilt, and how long that took."""

    finished_at = models.DateTimeField()
    seconds = models.FloatField()
    cases = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"


class OpenDataRelease(models.Model):
    """One day's open-data files (`opendata.py`): where each lies in the default storage, its
    size, SHA-256 and rows, as the download page and the DCAT catalogue announce them."""

    date = models.DateField(unique=True)
    created_at = models.DateTimeField()
    # [{"dataset": "cases", "format": "csv", "path": "opendata/2026-11-30/cases.csv",
    #   "size": 1234, "sha256": "…", "rows": 10}, …]
    files = models.JSONField(default=list)

    class Meta:
        ordering: ClassVar = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"

    def file(self, dataset: str, fmt: str) -> dict[str, Any] | None:
        return next((f for f in self.files if f["dataset"] == dataset and f["format"] == fmt), None)
