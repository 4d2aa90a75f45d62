from django.urls import path

from apps.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("templates/<slug:kind>.xlsx", views.template, name="template"),
    path("run/<uuid:run_id>/", views.run_page, name="run"),
    path("run/<uuid:run_id>/status.json", views.run_status, name="run_status"),
    path("run/<uuid:run_id>/confirm/", views.run_confirm, name="run_confirm"),
]
