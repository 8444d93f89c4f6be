from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last sign of life of each background worker process, for `/healthz`."""

    worker_id = models.CharField(_("proceso de fondo"), max_length=64, unique=True)
    host = models.CharField(_("servidor"), max_length=255)
    pid = models.PositiveIntegerField(_("proceso"))
    started_at = models.DateTimeField(_("inició"))
    seen_at = models.DateTimeField(_("última señal"), db_index=True)

    class Meta:
        verbose_name = _("señal del proceso de fondo")
        verbose_name_plural = _("señales de los procesos de fondo")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class PeriodicTask(models.Model):
    """When one periodic task (`settings.PERIODIC_TASKS`) runs next. The worker that moves
    `next_run_at` forward with a conditional update enqueues it; the others see it moved."""

    path = models.CharField(_("tarea"), max_length=200, unique=True)
    next_run_at = models.DateTimeField(_("próxima ejecución"))
    last_run_at = models.DateTimeField(_("última ejecución"), null=True, blank=True)
    last_worker = models.CharField(_("último proceso de fondo"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("tarea periódica")
        verbose_name_plural = _("tareas periódicas")

    def __str__(self) -> str:
        return self.path
