from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("summary/", views.summary, name="summary"),
    path("summary/freeze/", views.freeze, name="freeze"),
    path("summary/draft/", views.draft, name="draft"),
    path("summary/approve/", views.approve, name="approve"),
    path("summary/pdf/<uuid:run_id>/", views.pdf_run, name="pdf_run"),
    path("summary/pdf/<uuid:run_id>/download/", views.pdf_download, name="pdf_download"),
    path("monitoring/", views.monitoring_page, name="monitoring"),
    path("monitoring/<slug:name>.xlsx", views.monitoring_export, name="monitoring_export"),
]
