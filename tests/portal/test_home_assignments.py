"""Who helps which commune on the home page: a table for a district, one sentence for a province (issue 10)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.portal.selectors import current_assignments
from apps.portal.views import HOME_ASSIGNMENTS_SHOWN
from tests.factories import AssignmentFactory

pytestmark = pytest.mark.django_db


def test_a_district_sees_who_helps_each_commune_on_the_home_page(visitor):
    assignments = list(current_assignments(today=timezone.localdate()))
    assert 0 < len(assignments) <= HOME_ASSIGNMENTS_SHOWN  # the demo district
    page = visitor.get(reverse("portal:home")).content.decode()
    for assignment in assignments:
        assert reverse("portal:group", args=[assignment.group.code]) in page
    assert "xem nhóm nào giúp xã nào" not in page


def test_a_province_sees_how_many_groups_help_how_many_communes_and_a_link_to_the_table(visitor):
    AssignmentFactory.create_batch(HOME_ASSIGNMENTS_SHOWN)
    assignments = list(current_assignments(today=timezone.localdate()))
    groups = len({a.group_id for a in assignments})
    communes = len({a.commune_id for a in assignments})

    page = visitor.get(reverse("portal:home")).content.decode()

    assert f"Hiện nay {groups} nhóm cơ quan, đơn vị giúp đỡ {communes} xã, thị trấn" in page
    assert f'<a href="{reverse("portal:communes")}#who-helps">xem nhóm nào giúp xã nào</a>' in page
    assert reverse("portal:group", args=[assignments[-1].group.code]) not in page
    # The communes page names the groups helping each commune in the commune's row.
    communes_page = visitor.get(reverse("portal:communes")).content.decode()
    rows = re.findall(r"<tr[ >].*?</tr>", communes_page, re.S)
    for a in assignments:
        [row] = [r for r in rows if f'href="{reverse("portal:commune", args=[a.commune.code])}"' in r]
        assert f'<a href="{reverse("portal:group", args=[a.group.code])}">{a.group.name}</a>' in row
