"""The portal's URLs plus /bench/floor/: "ok" through the same middleware, the least any request can cost."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("taybinh.urls")),
]
