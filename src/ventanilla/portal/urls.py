from django.urls import path
from django.utils.translation import gettext_lazy as _

from ventanilla.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("mi-cuenta/"), views.account, name="account"),
]
