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
