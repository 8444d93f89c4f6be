from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ventanilla.api.main import api
from ventanilla.core.views import healthz

# The admin signs in through allauth, so officials pass the same MFA step as everywhere else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Administración de Ventanilla")
admin.site.site_title = _("Ventanilla")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path(_("cuenta/"), include("allauth.urls")),
    path(_("espacio/"), include("ventanilla.workspace.urls")),
    path("", include("ventanilla.portal.urls")),
    prefix_default_language=False,
)

handler400 = "ventanilla.portal.views.error_400"
handler403 = "ventanilla.portal.views.error_403"
handler404 = "ventanilla.portal.views.error_404"
handler500 = "ventanilla.portal.views.error_500"
