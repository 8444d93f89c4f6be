from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ventanilla.notifications.models import Notification, NotificationTemplate
from ventanilla.notifications.services import notifications_retry


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin[NotificationTemplate]):
    list_display = ("event", "channel", "language", "subject")
    list_filter = ("event", "channel", "language")
    search_fields = ("subject", "body")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """The outbox, to see what was sent, what waits and what failed, and why (read-only; failed
    notifications can be sent again)."""

    list_display = (
        "created_at",
        "event",
        "channel",
        "recipient",
        "reference",
        "state",
        "attempts",
        "next_attempt_at",
        "failed_at",
        "last_error",
    )
    list_filter = ("state", "channel", "event", "failed_at")
    search_fields = ("recipient", "reference", "last_error")
    date_hierarchy = "created_at"
    actions = ("retry",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("notifications.change_notification"))

    @admin.action(description=_("Enviar de nuevo las fallidas"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_retry(notification_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d notificación vuelve a la cola.",
                "%(count)d notificaciones vuelven a la cola.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
