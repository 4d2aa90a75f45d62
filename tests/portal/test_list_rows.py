"""The long tables' rows, written in Python for speed, are the markup the templates wrote, byte for byte."""

# ruff: noqa: E501  (the template below keeps its lines as the template file had them)

import datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from apps.portal.selectors import Helper
from apps.portal.templatetags.list_rows import commune_rows, group_rows, unit_rows

# templates/portal/_units_table.html's rows before they were written in Python (with its two includes).
TEMPLATE_ROWS = Template(
    """{% load i18n portal %}{% for unit in units %}<tr>
      <th scope="row"><a href="{% url 'portal:unit' unit.code %}">{{ unit|unit_name }}</a></th>
      {% if show_group %}<td class="list__wrap" data-label="{% translate 'Group today' %}">{{ unit.current_group|default:"–" }}</td>{% endif %}
      {% if show_membership %}<td class="list__wrap" data-label="{% translate 'In the group' %}">{{ unit.membership_start|date:"SHORT_DATE_FORMAT" }} – {% if unit.membership_end %}{{ unit.membership_end|date:"SHORT_DATE_FORMAT" }}{% else %}{% translate "now" %}{% endif %}</td>{% endif %}
      <td data-label="{% translate 'Money pledged' %}">{{ unit.pledged_vnd|vnd }}</td>
      <td data-label="{% translate 'Given toward pledges' %}">{{ unit.given_to_pledges_vnd|vnd }}</td>
      <td data-label="{% translate 'Money given in all' %}">{{ unit.given_vnd|vnd }}</td>
      <td class="list__wrap" data-label="{% translate 'Pledges under way' %}">"""
    """{% if unit.on_track is None %}<span class="status status--none">{% translate "no pledge started yet" %}</span>"""
    """{% elif unit.on_track %}<span class="status status--ok">{% translate "on track" %}</span>"""
    """{% else %}<span class="status status--behind">{% translate "behind" %}</span>{% endif %}
{% if unit.pledges_under_way %}<span class="pledge-counts">"""
    """{% if unit.pledges_fulfilled %}<span>{% blocktranslate with n=unit.pledges_fulfilled %}{{ n }} fulfilled{% endblocktranslate %}</span>{% endif %}"""
    """{% if unit.pledges_on_track %}<span>{% blocktranslate with n=unit.pledges_on_track %}{{ n }} on track{% endblocktranslate %}</span>{% endif %}"""
    """{% if unit.pledges_behind %}<span class="pledge-counts__lagging">{% blocktranslate with n=unit.pledges_behind %}{{ n }} behind{% endblocktranslate %}</span>{% endif %}"""
    """{% if unit.pledges_overdue %}<span class="pledge-counts__lagging">{% blocktranslate with n=unit.pledges_overdue %}{{ n }} overdue{% endblocktranslate %}</span>{% endif %}"""
    """</span>{% endif %}
</td>
    </tr>{% empty %}<tr><td colspan="6">{% translate "No unit recorded." %}</td></tr>{% endfor %}"""
)


def unit(code: str, name: str, *, on_track, counts=(0, 0, 0, 0), money=(0, 0, 0), **extra) -> SimpleNamespace:
    fulfilled, on_time, behind, overdue = counts
    return SimpleNamespace(
        code=code,
        name=name,
        current_group=extra.get("current_group"),
        membership_start=extra.get("membership_start", datetime.date(2018, 11, 1)),
        membership_end=extra.get("membership_end"),
        ended_on=extra.get("ended_on"),
        namesake_today=extra.get("namesake_today", False),
        pledged_vnd=money[0],
        given_to_pledges_vnd=money[1],
        given_vnd=money[2],
        on_track=on_track,
        pledges_fulfilled=fulfilled,
        pledges_on_track=on_time,
        pledges_behind=behind,
        pledges_overdue=overdue,
        pledges_under_way=sum(counts),
    )


UNITS = [
    unit("CQ-01", "Ban Dân vận", on_track=None, current_group="Nhóm 1"),
    unit("CQ 02&<x>", 'Hội "Nông dân" & <b>', on_track=True, counts=(2, 3, 0, 0), money=(1_500_000, 745_320_000, 12)),
    unit(
        "ĐU-HT",
        "Đảng ủy xã Hòa Thịnh",
        on_track=False,
        counts=(0, 1, 4, 2),
        money=(10**11, 0, 999),
        ended_on=datetime.date(2025, 6, 30),
        namesake_today=True,
        membership_end=datetime.date(2025, 6, 30),
    ),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("show_group", "show_membership"), [(True, False), (False, True), (False, False)])
@pytest.mark.parametrize("units", [UNITS, []], ids=["units", "none"])
def test_unit_rows_are_the_templates_markup(language, show_group, show_membership, units):
    with translation.override(language):
        expected = TEMPLATE_ROWS.render(
            Context({"units": units, "show_group": show_group, "show_membership": show_membership})
        )
        assert unit_rows(units, show_group=show_group, show_membership=show_membership) == expected


# templates/portal/commune_list.html's rows before they were written in Python.
TEMPLATE_COMMUNE_ROWS = Template(
    """{% load i18n portal %}{% for row in rows %}{% with commune=row.commune %}<tr{% if commune.successor %} class="list__merged"{% endif %}>
      <th scope="row"><a href="{% url 'portal:commune' commune.code %}">{{ row.label }}</a>
        {% if commune.disadvantaged %}<span class="tag">{% translate "disadvantaged" %}</span>{% endif %}
      </th>
      <td data-label="{% translate 'Villages' %}">{{ commune.village_count }}</td>
      <td data-label="{% translate 'Money' %}">{{ row.figures.money_vnd|vnd }}</td>
      <td data-label="{% translate 'Household-visits' %}">{{ row.figures.household_visits|qty }}</td>
      <td data-label="{% translate 'Students' %}">{{ row.figures.students|qty }}</td>
      <td class="list__wrap" data-label="{% translate 'Groups of units helping now' %}">{% for a in row.helpers %}<a href="{% url 'portal:group' a.group_code %}">{{ a.group_name }}</a>{% if a.village_name is not None %} ({{ a.village_name }}){% endif %}{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</td>
    </tr>{% endwith %}{% endfor %}"""
)


def helper(code: str, name: str, village: str | None = None) -> Helper:
    return Helper(code, name, village)


def commune_row(code, label, *, successor=None, disadvantaged=False, figures=(0, 0, 0), helpers=(), villages=0):
    commune = SimpleNamespace(
        code=code,
        successor=successor,
        successor_id=successor and successor.code,
        disadvantaged=disadvantaged,
        village_count=villages,
    )
    money, visits, students = figures
    return {
        "commune": commune,
        "label": label,
        "figures": {"money_vnd": money, "household_visits": visits, "students": students},
        "helpers": list(helpers),
    }


COMMUNE_ROWS = [
    commune_row(
        "HT",
        "Xã Hòa Thịnh",
        disadvantaged=True,
        figures=(745_320_000, 1009, 12),
        helpers=[helper("N1", "Nhóm 1"), helper("N 2&<x>", 'Nhóm "2" & <b>', village="Thôn Phú Thứ")],
        villages=11,
    ),
    commune_row("HD", "Xã Hòa Đồng (nay thuộc xã Hòa Thịnh)", successor=SimpleNamespace(code="HT"), figures=(0, 0, 0)),
    commune_row("X<y>", 'Phường <Phú Lâm> & "x"', figures=(10**11, 1, 1), helpers=[helper("N3", "Nhóm 3")]),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("rows", [COMMUNE_ROWS, []], ids=["communes", "none"])
def test_commune_rows_are_the_templates_markup(language, rows):
    with translation.override(language):
        assert commune_rows(rows) == TEMPLATE_COMMUNE_ROWS.render(Context({"rows": rows}))


# templates/portal/unit_list.html's rows of groups before they were written in Python.
TEMPLATE_GROUP_ROWS = Template(
    """{% load i18n %}{% for group in groups %}<tr>
        <th scope="row"><a href="{% url 'portal:group' group.code %}">{{ group.name }}</a></th>
        <td data-label="{% translate 'Period' %}">{% if group.first_start %}{{ group.first_start|date:"SHORT_DATE_FORMAT" }} – {% if group.last_end and group.last_end.year < 9999 %}{{ group.last_end|date:"SHORT_DATE_FORMAT" }}{% else %}{% translate "now" %}{% endif %}{% else %}–{% endif %}</td>
        <td data-label="{% translate 'Units today' %}">{{ group.units_now }}</td>
        <td data-label="{% translate 'Communes helped today' %}">{{ group.communes_now }}</td>
      </tr>{% empty %}<tr><td colspan="4">{% translate "No group recorded." %}</td></tr>{% endfor %}"""
)

GROUPS = [
    SimpleNamespace(
        code="N1",
        name="Nhóm 1",
        first_start=datetime.date(2014, 2, 14),
        last_end=datetime.date(9999, 12, 31),
        units_now=5,
        communes_now=1,
    ),
    SimpleNamespace(
        code="N 2&<x>",
        name='Nhóm "2" & <b>',
        first_start=datetime.date(2015, 1, 1),
        last_end=datetime.date(2025, 6, 30),
        units_now=0,
        communes_now=0,
    ),
    SimpleNamespace(code="N3", name="Nhóm 3", first_start=None, last_end=None, units_now=0, communes_now=2),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("groups", [GROUPS, []], ids=["groups", "none"])
def test_group_rows_are_the_templates_markup(language, groups):
    with translation.override(language):
        assert group_rows(groups) == TEMPLATE_GROUP_ROWS.render(Context({"groups": groups}))


# templates/portal/results.html's choices of commune and group before they were written in Python.
TEMPLATE_OPTIONS = Template(
    """{% for code, label in choices %}<option value="{{ code }}"{% if code == params.commune %} selected{% endif %}>{{ label }}</option>{% endfor %}"""
)
CHOICES = [("XA_001", "Xã Hòa Thịnh"), ('X"2&<x>', 'Xã <Hòa> "Đồng" & x'), ("HT", "Xã Hòa Thịnh (trước 01/7/2025)")]


@pytest.mark.parametrize("query", ["", "commune=XA_001", "commune=X%222%26%3Cx%3E", "commune=XA_001&commune=HT", "x=1"])
@pytest.mark.parametrize("choices", [CHOICES, []], ids=["choices", "none"])
def test_options_are_the_templates_markup(rf, query, choices):
    params = rf.get(f"/ket-qua/?{query}").GET
    context = Context({"choices": choices, "params": params})
    selected = Template("{% load list_rows %}{% options choices params.commune %}").render(context)
    assert selected == TEMPLATE_OPTIONS.render(context)
    assert selected.count(" selected") == (1 if choices and "commune=" in query else 0)
