from django.urls import path

from apps.portal import open_data, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("ket-qua/", views.results, name="results"),
    path("xa-thi-tran/", views.commune_list, name="communes"),
    path("xa-thi-tran/<str:code>/", views.commune_detail, name="commune"),
    path("co-quan-don-vi/", views.unit_list, name="units"),
    path("co-quan-don-vi/nhom/<str:code>/", views.group_detail, name="group"),
    path("co-quan-don-vi/<str:code>/", views.unit_detail, name="unit"),
    path("tin-tuc/", views.article_list, name="articles"),
    path("tin-tuc/<slug:slug>/", views.article_detail, name="article"),
    path("open-data/summary.json", open_data.summary_json, name="summary_json"),
    path("open-data/summary.csv", open_data.summary_csv, name="summary_csv"),
    path("open-data/visits.json", open_data.visits_json, name="visits_json"),
]
