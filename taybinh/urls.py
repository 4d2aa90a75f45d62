from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from health_check.views import HealthCheckView

# For the load balancer: the database(s), the shared cache and the media storage answer. No login, no
# personal data, never cached, not a visit (only the portal's public pages count). The replica is
# checked when reads are routed to it (DATABASE_REPLICA_URL).
READS_FROM_REPLICA = "apps.core.db_routers.ReplicaRouter" in settings.DATABASE_ROUTERS
HEALTH_CHECKS = [
    "health_check.checks.Database",
    *([("health_check.checks.Database", {"alias": "replica"})] if READS_FROM_REPLICA else []),
    "health_check.checks.Cache",
    "health_check.checks.Storage",
]

urlpatterns = [
    path("healthz", HealthCheckView.as_view(checks=HEALTH_CHECKS), name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", include("apps.reports.urls")),
    path("staff/import/", include("apps.imports.urls")),
    path("", include("apps.portal.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
