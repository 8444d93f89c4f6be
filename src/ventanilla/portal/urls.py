from django.urls import path
from django.utils.translation import gettext_lazy as _

from ventanilla.portal import catalog_views, tracking_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("tramites/"), catalog_views.catalog, name="catalog"),
    path(_("tramites/<slug:slug>/"), catalog_views.service_detail, name="service"),
    path(_("seguimiento/"), tracking_views.tracking, name="tracking"),
    path(_("mi-cuenta/"), views.account, name="account"),
]
