"""What each person may see and touch: one rule per model, used by the admin, the importer and views.

A unit focal point is limited to their unit's records and to the households their unit helped or
pledged to help, a commune focal point to their commune's (including the communes merged into it).
Everyone else (district staff, leadership, superusers) is limited only by their permissions: without
a permission on a model they see none of it.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet

from apps.accounts.roles import COMMUNE_FOCAL_POINT, DISTRICT_STAFF, LEADERSHIP, UNIT_FOCAL_POINT, has_role

# Path from each model to the unit whose records it belongs to.
UNIT_PATHS = {
    "units.unit": "pk",
    "units.member": "unit",
    "pledges.pledge": "unit",
    "donations.donation": "unit",
    "donations.repayment": "loan__unit",
}
# Path(s) from each model to its commune.
COMMUNE_PATHS = {
    "communes.commune": ["pk"],
    "communes.village": ["commune"],
    "households.household": ["village__commune"],
    "households.householdstatus": ["household__village__commune"],
    "households.student": ["household__village__commune"],
    "households.target": ["village__commune", "household__village__commune"],
}
# Path from each model to its household: a unit focal point reads only the households their unit helped
# (a donation) or pledged to help (a pledge), directly or through one of their students, with their
# students and statuses; never the others (least privilege: names and ID numbers of poor households).
HOUSEHOLD_PATHS = {
    "households.household": "pk",
    "households.householdstatus": "household",
    "households.student": "household",
}
# Paths from a household to the unit that helped it or pledged to.
HELPED_BY_UNIT = ["donations__unit", "pledges__unit", "students__donations__unit", "students__pledges__unit"]
# Records a unit focal point may read in full to choose whom their unit helps.
UNIT_FOCAL_POINT_READS = {
    "communes.commune",
    "communes.village",
    "donations.item",
}


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def is_focal_point(user) -> bool:
    """Limited to one unit or commune (unless also holding a district-wide role)."""
    return has_role(user, UNIT_FOCAL_POINT, COMMUNE_FOCAL_POINT) and not has_role(user, DISTRICT_STAFF, LEADERSHIP)


def focal_unit_id(user) -> int | None:
    if has_role(user, UNIT_FOCAL_POINT) and hasattr(user, "focal_point"):
        return user.focal_point.unit_id
    return None


def focal_commune_ids(user) -> list[int]:
    """The focal point's commune and those merged into it (remembered on the user for the request)."""
    if not hasattr(user, "_focal_commune_ids"):
        ids = []
        if has_role(user, COMMUNE_FOCAL_POINT) and hasattr(user, "focal_point") and user.focal_point.commune_id:
            ids = _with_predecessors(user.focal_point.commune)
        user._focal_commune_ids = ids
    return user._focal_commune_ids


def _with_predecessors(commune) -> list[int]:
    # The commune's own model (apps.accounts sits below apps.communes and does not import it).
    communes = type(commune).objects
    return list(communes.with_predecessors_of(commune.code).values_list("pk", flat=True))


def leaders_commune(user):
    """The commune a leader of one area is limited to (their focal point's commune); None for everyone else.

    District (or province) staff, and leaders whose focal point names no commune, see the whole installation.
    """
    if not has_role(user, LEADERSHIP) or has_role(user, DISTRICT_STAFF):
        return None
    focal_point = getattr(user, "focal_point", None)
    return focal_point.commune if focal_point is not None and focal_point.commune_id else None


def leaders_commune_ids(user) -> list[int] | None:
    """The leader's commune and those merged into it (whose reports they may read), or None: no limit."""
    commune = leaders_commune(user)
    return None if commune is None else _with_predecessors(commune)


def scope_queryset(user, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` that ``user`` may see."""
    label = _label(queryset.model)
    if not is_focal_point(user):
        opts = queryset.model._meta
        allowed = user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
            f"{opts.app_label}.change_{opts.model_name}"
        )
        return queryset if allowed else queryset.none()
    condition = Q(pk__in=[])
    unit_id = focal_unit_id(user)
    if unit_id:
        if label in UNIT_PATHS:
            condition |= Q(**{UNIT_PATHS[label]: unit_id})
        elif label in HOUSEHOLD_PATHS:
            condition |= _helped_by(queryset.model, HOUSEHOLD_PATHS[label], unit_id)
        elif label in UNIT_FOCAL_POINT_READS:
            return queryset
    commune_ids = focal_commune_ids(user)
    if commune_ids and label in COMMUNE_PATHS:
        for path in COMMUNE_PATHS[label]:
            condition |= Q(**{f"{path}__in": commune_ids})
    return queryset.filter(condition)


def _helped_by(model: type[Model], path: str, unit_id: int) -> Q:
    """Rows of ``model`` whose household (at ``path``) the unit helped or pledged to help.

    One subquery per way of helping, each through an index on the unit (no join of donations with
    pledges, no duplicate rows): the query count does not grow with the number of rows.
    """
    household = model if path == "pk" else model._meta.get_field(path).related_model
    condition = Q(pk__in=[])
    for helped in HELPED_BY_UNIT:
        households = household._default_manager.filter(**{helped: unit_id}).order_by().values("pk")
        condition |= Q(**{f"{path}__in": households})
    return condition


def sees_id_numbers(user) -> bool:
    """Whether the user may read households' ID numbers (change pages, search and the Excel export).

    A unit focal point never does: they deliver help to a household they know by name and code, and
    need no one's ID number for it. Commune focal points keep the records and the others read everything.
    """
    return not is_focal_point(user) or bool(focal_commune_ids(user))


def may_write(user, obj: Model) -> bool:
    """Whether ``obj`` (possibly unsaved) lies within the unit or commune of a focal point.

    For everyone else the model permissions, checked by the caller, decide.
    """
    if not is_focal_point(user):
        return True
    label = _label(type(obj))
    unit_id = focal_unit_id(user)
    if unit_id and label in UNIT_PATHS:
        return _follow(obj, UNIT_PATHS[label]) == unit_id
    commune_ids = focal_commune_ids(user)
    if commune_ids and label in COMMUNE_PATHS:
        return any(_follow(obj, path) in commune_ids for path in COMMUNE_PATHS[label])
    return False


def _follow(obj: Model, path: str) -> int | None:
    """The id at the end of a ``a__b__c`` path from an instance."""
    if path == "pk":
        return obj.pk
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)
