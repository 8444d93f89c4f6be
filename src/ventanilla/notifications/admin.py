from django.contrib import admin
from django.http import HttpRequest

from ventanilla.notifications.models import Notification, NotificationTemplate


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin[NotificationTemplate]):
    list_display = ("event", "channel", "language", "subject")
    list_filter = ("event", "channel", "language")
    search_fields = ("subject", "body")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """The outbox, to see what was sent, what waits and what failed (read-only)."""

    list_display = ("created_at", "event", "channel", "recipient", "reference", "state", "attempts")
    list_filter = ("state", "channel", "event")
    search_fields = ("recipient", "reference")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
