"""Views open to some roles only (the roles are in :mod:`apps.accounts.roles`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.roles import has_role


def role_required(*roles: str, forbidden_template: str) -> Callable:
    """Anonymous visitors go to the login page; signed-in users without any of ``roles`` get
    ``forbidden_template`` with a 403 status (the page says who may open it and whom to ask)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                return render(request, forbidden_template, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
