from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", include("apps.reports.urls")),
    path("staff/import/", include("apps.imports.urls")),
    path("", include("apps.portal.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
