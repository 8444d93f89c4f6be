"""Third-party apps under Spanish names, for the admin.

Some apps we install name themselves and their models in English only, or with words that are
not marked for translation (allauth's MFA model, django-tasks-db's app). These subclasses, listed
in INSTALLED_APPS in their place, give them names administrators read in Spanish (and in English
through our catalogue); nothing else about the apps changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.mfa.apps import MFAConfig
from django.db.models import Field, Model
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # in django-stubs only


def _names(
    model: type[Model],
    singular: _StrPromise,
    plural: _StrPromise,
    fields: dict[str, _StrPromise],
) -> None:
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural
    for name, words in fields.items():
        field = model._meta.get_field(name)
        if isinstance(field, Field):
            field.verbose_name = words


class TwoStepConfig(MFAConfig):  # type: ignore[misc]  # allauth ships no types
    verbose_name = _("Verificación en dos pasos")

    def ready(self) -> None:
        super().ready()
        from allauth.mfa.models import Authenticator

        _names(
            Authenticator,
            _("autenticador"),
            _("autenticadores"),
            {
                "user": _("usuario"),
                "type": _("tipo"),
                "data": _("datos"),
                "created_at": _("creado"),
                "last_used_at": _("último uso"),
            },
        )


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Tareas en segundo plano")  # type: ignore[assignment]  # lazy, as Django

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        _names(
            DBTaskResult,
            _("resultado de tarea"),
            _("resultados de tareas"),
            {
                "status": _("estado"),
                "enqueued_at": _("encolada"),
                "started_at": _("empezó"),
                "finished_at": _("terminó"),
                "args_kwargs": _("argumentos"),
                "priority": _("prioridad"),
                "task_path": _("tarea"),
                "worker_ids": _("procesos que la tomaron"),
                "queue_name": _("cola"),
                "backend_name": _("motor"),
                "run_after": _("correr después de"),
                "return_value": _("resultado"),
                "exception_class_path": _("clase de la excepción"),
                "traceback": _("traza"),
            },
        )
