"""Administration of the catalogue: services, and their versions (a structured editor for drafts,
YAML as the expert view)."""

from __future__ import annotations

import difflib
from typing import Any

import yaml
from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from ventanilla.catalog.editor import editor_change, editor_data, editor_errors, editor_nodes
from ventanilla.catalog.effects import effect_for
from ventanilla.catalog.interchange import canonical_definition
from ventanilla.catalog.models import (
    Category,
    LifeEvent,
    SearchSynonym,
    Service,
    ServiceVersion,
    VersionStatus,
)
from ventanilla.catalog.schema import OwnerKind, RoleName, ServiceDefinition
from ventanilla.catalog.services import (
    STARTER,
    CatalogError,
    DefinitionInvalid,
    definition_errors,
    service_version_clone,
    service_version_edit,
    service_version_publish,
    service_version_retire,
    service_version_start,
)
from ventanilla.core.admin import TabularInline
from ventanilla.organization.models import Role

__all__ = ["STARTER"]


def as_yaml(definition: Any) -> str:
    return yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100)


def draft_created(draft: ServiceVersion) -> SafeString:
    """The message after a draft is created: it links to the draft, to edit it at once."""
    url = reverse("admin:catalog_serviceversion_change", args=[draft.pk])
    return format_html(
        gettext('Se creó el borrador <a href="{url}">{version}</a>. Ábralo para editarlo.'),
        url=url,
        version=str(draft),
    )


def saved_words(version: ServiceVersion) -> str:
    return gettext("La versión %(version)s se guardó.") % {"version": version}


def published_words(version: ServiceVersion) -> str:
    return gettext(
        "La versión %(version)s se publicó; la que estaba publicada antes quedó retirada."
    ) % {"version": version}


def operation_words(operation: Any, result: ServiceVersion) -> str | SafeString:
    if operation is service_version_clone:
        return draft_created(result)
    if operation is service_version_publish:
        return published_words(result)
    return gettext("La versión %(version)s se retiró del catálogo público.") % {"version": result}


def _owner_words(kind: OwnerKind) -> str:
    return {
        OwnerKind.SERVICE: gettext("la dependencia dueña del servicio"),
        OwnerKind.SERVICE_POINT: gettext("la del punto de atención elegido"),
        OwnerKind.CHOSEN_AT_FILING: gettext("la que se elige al radicar"),
        OwnerKind.FIXED: gettext("una fija"),
    }[kind]


def _role_words(role: RoleName) -> str:
    if role == RoleName.CITIZEN:
        return gettext("el ciudadano")
    if role == RoleName.SYSTEM:
        return gettext("la plataforma")
    return str(Role(role.value).label)


def _effect_words(effect: str) -> str:
    try:
        return str(effect_for(effect).label)
    except KeyError:
        return effect


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    list_display = ("name_es", "name_en", "slug", "order")
    search_fields = ("name_es", "name_en", "slug")


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin[SearchSynonym]):
    list_display = ("words",)
    search_fields = ("words",)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin[LifeEvent]):
    list_display = ("name_es", "name_en", "slug", "order")
    search_fields = ("name_es", "name_en", "slug")


class VersionInline(TabularInline[ServiceVersion, Service]):
    model = ServiceVersion
    fields = ("number", "status", "published_at", "retired_at", "notes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceForm(forms.ModelForm[Service]):
    channels = forms.MultipleChoiceField(
        label=_("Canales"),
        choices=[
            ("online", _("en línea")),
            ("in_person", _("presencial")),
            ("phone", _("telefónico")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    point_kinds = forms.MultipleChoiceField(
        label=_("Se atiende en"),
        choices=[
            ("school", _("colegios")),
            ("support_centre", _("centros de atención")),
            ("office", _("oficinas")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Service
        fields = (
            "slug",
            "entity",
            "dependency",
            "category",
            "life_events",
            "kind",
            "petition_type",
            "channels",
            "point_kinds",
            "service_points",
        )
        # Native inputs: the admin's search boxes (select2, the two-list filter) name their
        # inputs for no screen reader; a select is searched by typing, and life events are few.
        widgets = {"life_events": forms.CheckboxSelectMultiple}


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    form = ServiceForm
    list_display = ("__str__", "slug", "entity", "kind", "category", "is_published")
    list_filter = ("entity", "kind", "category", "is_published")
    search_fields = ("title_es", "title_en", "slug")
    inlines = (VersionInline,)
    actions = ("new_draft",)

    @admin.action(description=_("Crear un borrador nuevo (copia de la última versión)"))
    def new_draft(self, request: HttpRequest, queryset: QuerySet[Service]) -> None:
        for service in queryset:
            last = service.versions.order_by("-number").first()
            if last is None:
                messages.error(request, gettext("%s no tiene versiones.") % service.slug)
                continue
            draft = service_version_clone(version=last)
            messages.success(request, draft_created(draft))

    def response_add(
        self, request: HttpRequest, obj: Service, post_url_continue: str | None = None
    ) -> HttpResponse:
        # A new service has nothing to say yet: it gets a first draft, opened in the editor.
        draft = service_version_start(service=obj, notes=gettext("Primer borrador."))
        messages.success(
            request,
            format_html(
                gettext(
                    "El servicio {service} se creó con un primer borrador, hecho a partir de un "
                    "ejemplo: cámbielo y publíquelo."
                ),
                service=obj.slug,
            ),
        )
        return HttpResponseRedirect(reverse("admin:catalog_serviceversion_change", args=[draft.pk]))


class VersionAddForm(forms.ModelForm[ServiceVersion]):
    """A new version names its service; it starts from an example, edited next."""

    class Meta:
        model = ServiceVersion
        fields = ("service", "notes")


class VersionForm(forms.ModelForm[ServiceVersion]):
    """The definition is edited as YAML; errors are shown in words, with where they are."""

    definition_yaml = forms.CharField(
        label=_("Definición (YAML)"),
        widget=forms.Textarea(attrs={"rows": 40, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "Textos, tarifa, término, quién puede radicar, documentos, formulario, flujo y "
            "plantillas. Se valida al guardar."
        ),
    )

    class Meta:
        model = ServiceVersion
        fields = ("notes",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["definition_yaml"].initial = as_yaml(self.instance.definition)

    def clean_definition_yaml(self) -> dict[str, Any]:
        try:
            data = yaml.safe_load(self.cleaned_data["definition_yaml"])
        except yaml.YAMLError as error:
            raise forms.ValidationError(
                gettext("No es YAML válido: %(error)s") % {"error": error}
            ) from error
        if not isinstance(data, dict):
            raise forms.ValidationError(gettext("La definición debe ser un mapa de campos."))
        errors = definition_errors(data)
        if errors:
            raise forms.ValidationError(errors)
        return canonical_definition(data)

    def save(self, commit: bool = True) -> ServiceVersion:
        self.instance.definition = self.cleaned_data["definition_yaml"]
        return super().save(commit)


@admin.register(ServiceVersion)
class ServiceVersionAdmin(admin.ModelAdmin[ServiceVersion]):
    form = VersionForm
    list_display = ("service", "number", "status", "published_at", "retired_at")
    list_filter = ("status", "service__entity", "service__kind")
    search_fields = ("service__slug", "service__title_es")
    actions = ("publish", "clone", "retire")
    change_form_template = "admin/catalog/serviceversion/change_form.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        shown = ("service", "number", "status", "published_at", "retired_at", "workflow_table")
        if obj is not None and obj.status != VersionStatus.DRAFT:
            return (*shown, "definition_text", "notes")
        return shown if obj is not None else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["service", "notes"]
        if obj.status != VersionStatus.DRAFT:
            return [
                "service",
                "number",
                "status",
                "published_at",
                "retired_at",
                "notes",
                "workflow_table",
                "definition_text",
            ]
        return [
            "service",
            "number",
            "status",
            "notes",
            "workflow_table",
            "definition_yaml",
        ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = VersionAddForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: ServiceVersion, form: Any, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Numbered under the service's lock, from the example; the editor opens it next.
        draft = service_version_start(service=obj.service, notes=obj.notes)
        obj.pk, obj.number, obj.definition = draft.pk, draft.number, draft.definition
        obj.created_at = draft.created_at

    def response_add(
        self, request: HttpRequest, obj: ServiceVersion, post_url_continue: str | None = None
    ) -> HttpResponse:
        messages.success(request, draft_created(obj))
        return HttpResponseRedirect(reverse("admin:catalog_serviceversion_change", args=[obj.pk]))

    def response_change(self, request: HttpRequest, obj: ServiceVersion) -> HttpResponse:
        """After the expert (YAML) view saved: publish it if asked, in the version's words."""
        yaml_url = reverse("admin:catalog_serviceversion_yaml", args=[obj.pk])
        if "_publish" in request.POST:
            try:
                published = service_version_publish(version=obj)
            except CatalogError as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(yaml_url)
            messages.success(request, published_words(published))
            return HttpResponseRedirect(
                reverse("admin:catalog_serviceversion_change", args=[obj.pk])
            )
        messages.success(request, saved_words(obj))
        if "_continue" in request.POST:
            return HttpResponseRedirect(yaml_url)
        return HttpResponseRedirect(reverse("admin:catalog_serviceversion_changelist"))

    @admin.display(description=_("Definición"))
    def definition_text(self, obj: ServiceVersion) -> SafeString:
        return format_html("<pre class='catalog-yaml'>{}</pre>", as_yaml(obj.definition))

    @admin.display(description=_("Flujo de trabajo"))
    def workflow_table(self, obj: ServiceVersion) -> SafeString:
        try:
            workflow = ServiceDefinition.model_validate(obj.definition).workflow
        except Exception:
            return format_html("<p>{}</p>", gettext("La definición aún no es válida."))
        language = get_language() or "es"
        stages = format_html_join(
            "",
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    s.key,
                    s.label.get(language),
                    s.citizen_label.get(language),
                    s.owner.dependency or _owner_words(s.owner.kind),
                    gettext("sí") if s.terminal else "",
                )
                for s in workflow.stages
            ),
        )
        actions = format_html_join(
            "",
            "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td>{}</td>"
            "<td>{}</td></tr>",
            (
                (
                    a.label.get(language),
                    ", ".join(a.from_stages),
                    a.to_stage,
                    ", ".join(_role_words(r) for r in a.roles),
                    _effect_words(a.effect),
                )
                for a in workflow.actions
            ),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th><th scope='col'>{}"
            "</th><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>"
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th><th scope='col'>{}"
            "</th><th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr>"
            "</thead><tbody>{}</tbody></table><p>{}</p>",
            gettext("Etapas (la primera es donde empieza el caso)"),
            gettext("clave"),
            gettext("nombre"),
            gettext("lo que lee la ciudadanía"),
            gettext("responsable"),
            gettext("final"),
            stages,
            gettext("Acciones"),
            gettext("acción"),
            gettext("desde"),
            gettext("hacia"),
            gettext("roles"),
            gettext("efecto"),
            actions,
            gettext("Quien proyecta una respuesta también puede firmarla (drafter_may_approve).")
            if workflow.drafter_may_approve
            else gettext(
                "Cuatro ojos: quien proyecta una respuesta que firma un aprobador no puede "
                "firmarla (para permitirlo: drafter_may_approve: true)."
            ),
        )

    # --- Publish, clone, retire, diff -------------------------------------------------------

    def _run(
        self, request: HttpRequest, queryset: QuerySet[ServiceVersion], operation: Any
    ) -> None:
        for version in queryset:
            try:
                result = operation(version=version)
            except CatalogError as error:
                messages.error(request, f"{version}: {error}")
            else:
                messages.success(request, operation_words(operation, result))

    @admin.action(description=_("Publicar (retira la versión publicada antes)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[ServiceVersion]) -> None:
        self._run(request, queryset, service_version_publish)

    @admin.action(description=_("Clonar en un borrador nuevo"))
    def clone(self, request: HttpRequest, queryset: QuerySet[ServiceVersion]) -> None:
        self._run(request, queryset, service_version_clone)

    @admin.action(description=_("Retirar del catálogo público"))
    def retire(self, request: HttpRequest, queryset: QuerySet[ServiceVersion]) -> None:
        self._run(request, queryset, service_version_retire)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                f"<int:pk>/{operation}/",
                self.admin_site.admin_view(self.operation_view),
                {"operation": operation},
                name=f"catalog_serviceversion_{operation}",
            )
            for operation in ("publish", "clone", "retire")
        ]
        own.append(
            path(
                "<int:pk>/yaml/",
                self.admin_site.admin_view(self.yaml_view),
                name="catalog_serviceversion_yaml",
            )
        )
        own.append(
            path(
                "<int:pk>/diff/<int:other>/",
                self.admin_site.admin_view(self.diff_view),
                name="catalog_serviceversion_diff",
            )
        )
        return own + super().get_urls()

    # --- The structured editor and the expert view -----------------------------------------

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A draft opens in the structured editor; other versions read as they were published."""
        version = self.get_object(request, object_id)
        if (
            version is not None
            and version.status == VersionStatus.DRAFT
            and self.has_change_permission(request, version)
        ):
            return self.editor_view(request, version)
        return super().change_view(request, object_id, form_url, extra_context)

    def yaml_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The same definition as YAML: for experts, and to copy it elsewhere."""
        context = {"yaml_view": True}
        return super().change_view(request, str(pk), extra_context=context)

    def editor_view(self, request: HttpRequest, version: ServiceVersion) -> HttpResponse:
        notes = version.notes
        data: dict[str, Any] = version.definition
        problems = None
        if request.method == "POST":
            data = editor_data(request.POST)
            notes = request.POST.get("notes", "")
            adding, removing = request.POST.get("_add", ""), request.POST.get("_remove", "")
            moving = request.POST.get("_move", "")
            if adding or removing or moving:
                data = editor_change(data, add=adding, remove=removing, move=moving)
            else:
                try:
                    if "_publish" in request.POST:
                        done = service_version_publish(
                            version=version, definition=data, notes=notes
                        )
                        messages.success(request, published_words(done))
                    else:
                        done = service_version_edit(version=version, definition=data, notes=notes)
                        messages.success(request, saved_words(done))
                except DefinitionInvalid as error:
                    problems = error.error
                except CatalogError as error:
                    messages.error(request, str(error))
                else:
                    return HttpResponseRedirect(
                        reverse("admin:catalog_serviceversion_change", args=[version.pk])
                    )
        nodes = editor_nodes(data)
        error_nodes = editor_errors(nodes, problems) if problems is not None else []
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Editar la versión %(number)s de %(service)s")
            % {"number": version.number, "service": version.service.slug},
            "version": version,
            "nodes": nodes,
            "error_nodes": error_nodes,
            "notes": notes,
            "opts": self.model._meta,
            "other_versions": version.service.versions.exclude(pk=version.pk).order_by("-number"),
        }
        return TemplateResponse(request, "admin/catalog/serviceversion/editor.html", context)

    def operation_view(self, request: HttpRequest, pk: int, operation: str) -> HttpResponse:
        version = get_object_or_404(ServiceVersion, pk=pk)
        operations = {
            "publish": service_version_publish,
            "clone": service_version_clone,
            "retire": service_version_retire,
        }
        if request.method != "POST" or operation not in operations:
            return HttpResponseRedirect(reverse("admin:catalog_serviceversion_change", args=[pk]))
        if not self.has_change_permission(request, version):
            messages.error(request, gettext("No tiene permiso para cambiar versiones."))
            return HttpResponseRedirect(reverse("admin:catalog_serviceversion_change", args=[pk]))
        try:
            result = operations[operation](version=version)
        except CatalogError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("admin:catalog_serviceversion_change", args=[pk]))
        messages.success(request, operation_words(operations[operation], result))
        return HttpResponseRedirect(
            reverse("admin:catalog_serviceversion_change", args=[result.pk])
        )

    def diff_view(self, request: HttpRequest, pk: int, other: int) -> HttpResponse:
        version = get_object_or_404(ServiceVersion, pk=pk)
        against = get_object_or_404(ServiceVersion, pk=other, service=version.service)
        lines = list(
            difflib.unified_diff(
                as_yaml(against.definition).splitlines(),
                as_yaml(version.definition).splitlines(),
                fromfile=f"v{against.number}",
                tofile=f"v{version.number}",
                lineterm="",
            )
        )
        rows = [
            ("added" if ln.startswith("+") else "removed" if ln.startswith("-") else "same", ln)
            for ln in lines
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Cambios de v%(a)s a v%(b)s")
            % {"a": against.number, "b": version.number},
            "version": version,
            "against": against,
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalog/serviceversion/diff.html", context)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = context.get("original")
        if obj is not None:
            context["other_versions"] = obj.service.versions.exclude(pk=obj.pk).order_by("-number")
        return super().render_change_form(request, context, *args, **kwargs)
