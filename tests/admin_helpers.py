"""Shared checks for the admin tests: pages answer, query counts do not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

# Far above what a page needs (about 15-30), far below one query per row of a 30-row page.
QUERY_CEILING = 45


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def assert_admin_pages_bounded(
    client, django_assert_max_num_queries, model, make: Callable[[int], object], search: str
) -> None:
    """Changelist, add and change pages answer 200, with the same query count at 3 and 30 rows.

    ``make(n)`` creates n rows (and, for a parent, a record with n inline children) and returns
    the record whose change page is measured.
    """
    changelist = admin_url(model, "changelist") + f"?q={search}"
    assert client.get(admin_url(model, "add")).status_code == 200
    small = make(3)
    client.get(changelist)  # warm the per-process caches (content types, permissions)
    small_list = count_queries(client, changelist)
    small_change = count_queries(client, admin_url(model, "change", small.pk))
    large = make(30)
    with django_assert_max_num_queries(min(small_list, QUERY_CEILING)):
        response = client.get(changelist)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 30
    with django_assert_max_num_queries(min(small_change, QUERY_CEILING)):
        response = client.get(admin_url(model, "change", large.pk))
    assert response.status_code == 200


def search_results(client, model, term: str) -> list:
    response = client.get(admin_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def assert_form_error(response, message) -> None:
    """The admin form came back (no redirect) showing ``message`` as the person reads it."""
    assert response.status_code == 200, "the bad record was saved"
    with translation.override("vi"):
        text = str(message)
    assert escape(text) in response.content.decode(), text
