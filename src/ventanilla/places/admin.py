"""Administrators set up a season: its rules as versions (published ones are read-only), the
places offered (imported from the coverage office's CSV or edited one by one, with a history),
and read the applications and runs. The allocation itself is run from the workspace."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.core import clock
from ventanilla.core.admin import TabularInline
from ventanilla.places.models import (
    AllocationRun,
    Application,
    Offer,
    OfferChange,
    Season,
    SeasonRules,
)
from ventanilla.places.rules import RulesProblem, parse_rules
from ventanilla.places.services import (
    PlaceError,
    offer_update,
    offers_import,
    rules_publish,
    season_saved,
)


class SeasonRulesForm(forms.ModelForm[SeasonRules]):
    class Meta:
        model = SeasonRules
        fields = ("season", "number", "text", "notes")
        widgets: ClassVar = {"text": forms.Textarea(attrs={"rows": 30, "cols": 100})}

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"])
        try:
            parse_rules(text)
        except RulesProblem as problem:
            raise forms.ValidationError(problem.lines) from problem
        return text


@admin.register(SeasonRules)
class SeasonRulesAdmin(admin.ModelAdmin[SeasonRules]):
    form = SeasonRulesForm
    list_display = ("season", "number", "notes", "published_at")
    list_filter = ("season",)
    actions = ("publish",)

    def get_readonly_fields(self, request: HttpRequest, obj: SeasonRules | None = None) -> Any:
        if obj is not None and obj.published_at is not None:
            return ("season", "number", "text", "notes", "published_at", "published_by")
        return ("published_at", "published_by")

    def has_delete_permission(self, request: HttpRequest, obj: SeasonRules | None = None) -> bool:
        return obj is None or obj.published_at is None

    @admin.action(description=gettext_lazy("Publicar la versión elegida"))
    def publish(self, request: HttpRequest, queryset: Any) -> None:
        for rules in queryset:
            try:
                rules_publish(rules=rules, actor=request.user)  # type: ignore[arg-type]
            except PlaceError as error:
                self.message_user(request, f"{rules}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("Publicada: %(rules)s.") % {"rules": rules})


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Archivo CSV de la oferta"),
        help_text=gettext_lazy(
            "Columnas: colegio (código), grado, jornada, cupos, antiguos. Una fila por colegio, "
            "grado y jornada; todas las filas se cargan o ninguna."
        ),
    )


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin[Season]):
    list_display = ("code", "name", "service", "transfer_service", "seed")
    readonly_fields = ("seed", "seed_drawn_at")

    def save_model(self, request: HttpRequest, obj: Season, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        season_saved(season=obj)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/importar/",
                self.admin_site.admin_view(self.import_view),
                name="places_season_import",
            )
        ]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        season = get_object_or_404(Season, pk=pk)
        if not self.has_change_permission(request, season):
            return HttpResponseRedirect(reverse("admin:index"))
        form = ImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["file"].read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            try:
                result = offers_import(season=season, text=text, actor=request.user)  # type: ignore[arg-type]
            except PlaceError as error:
                problems = [error.message]
            else:
                problems = result.problems
                if not problems:
                    self.message_user(
                        request,
                        _("Oferta cargada: %(c)s nuevas, %(u)s cambiadas, %(n)s sin cambios.")
                        % {"c": result.created, "u": result.updated, "n": result.unchanged},
                    )
                    return HttpResponseRedirect(
                        reverse("admin:places_offer_changelist") + f"?season__id__exact={pk}"
                    )
        return render(
            request,
            "admin/places/import.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Cargar la oferta de cupos de %(season)s") % {"season": season},
                "season": season,
                "form": form,
                "problems": problems,
                "opts": self.model._meta,
            },
        )


class OfferChangeInline(TabularInline[OfferChange, Offer]):
    model = OfferChange
    extra = 0
    can_delete = False
    fields = (
        "at",
        "actor",
        "source",
        "capacity_before",
        "capacity_after",
        "continuing_before",
        "continuing_after",
        "note",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OfferForm(forms.ModelForm[Offer]):
    note = forms.CharField(label=gettext_lazy("Motivo del cambio"), required=False, max_length=300)

    class Meta:
        model = Offer
        fields = ("season", "point", "grade", "shift", "capacity", "continuing")


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    form = OfferForm
    list_display = ("point", "grade", "shift", "capacity", "continuing", "taken")
    list_filter = ("season", "grade", "shift")
    search_fields = ("point__name", "point__code")
    autocomplete_fields = ("point",)
    readonly_fields = ("taken",)
    inlines: ClassVar = [OfferChangeInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Offer | None = None) -> Any:
        if obj is not None:
            return ("season", "point", "grade", "shift", "taken")
        return ("taken",)

    def save_model(self, request: HttpRequest, obj: Offer, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            OfferChange.objects.create(
                offer=obj,
                at=clock.now(),
                actor=request.user if request.user.is_authenticated else None,
                source=OfferChange.Source.ADMIN,
                capacity_after=obj.capacity,
                continuing_after=obj.continuing,
                note=form.cleaned_data.get("note", ""),
            )
            return
        try:
            offer_update(
                offer=obj,
                capacity=obj.capacity,
                continuing=obj.continuing,
                actor=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data.get("note", ""),
            )
        except PlaceError as error:
            self.message_user(request, error.message, messages.ERROR)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ("case", "grade", "group", "evidence", "stage", "state")
    list_filter = ("season", "stage", "state", "evidence", "grade")
    search_fields = ("case__filing_number", "student_id_number")
    readonly_fields = [f.name for f in Application._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin[AllocationRun]):
    list_display = ("season", "number", "dry_run", "started_at", "inputs_sha256", "outputs_sha256")
    list_filter = ("season", "dry_run")
    readonly_fields = [f.name for f in AllocationRun._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
