"""The programme's roles (PROGRAMME.md, "Who does what"), as Django groups.

The groups and their permissions are created by a migration of this app; code asks
:func:`has_role` rather than naming groups itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

DISTRICT_STAFF = "district_staff"
LEADERSHIP = "leadership"
UNIT_FOCAL_POINT = "unit_focal_point"
COMMUNE_FOCAL_POINT = "commune_focal_point"

# Group names as staff see them in the admin: no level of government in them, so that they hold for a
# district's, a province's or a commune's installation (the 2025 reform ended the districts).
GROUP_NAMES = {
    DISTRICT_STAFF: "Cán bộ theo dõi chương trình",
    LEADERSHIP: "Lãnh đạo (Thường trực cấp ủy)",
    UNIT_FOCAL_POINT: "Đầu mối cơ quan, đơn vị",
    COMMUNE_FOCAL_POINT: "Đầu mối xã, phường, thị trấn",
}
ROLE_LABELS = {
    DISTRICT_STAFF: _("Programme staff"),
    LEADERSHIP: _("Leadership"),
    UNIT_FOCAL_POINT: _("Unit focal point"),
    COMMUNE_FOCAL_POINT: _("Commune focal point"),
}


def has_role(user, *roles: str) -> bool:
    """True for an active user in any of ``roles``; superusers hold every role."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # One query per request (the user object lives for one request), however often it is asked.
    if not hasattr(user, "_programme_groups"):
        user._programme_groups = set(user.groups.values_list("name", flat=True))
    return any(GROUP_NAMES[role] in user._programme_groups for role in roles)


# What each role may do, as (app_label, model or "*", actions). Scoping to one unit or commune
# is applied on top of these by apps.accounts.scoping.
PROGRAMME_APPS = ["communes", "units", "bodies", "households", "pledges", "donations", "core", "portal", "reports"]
ROLE_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    DISTRICT_STAFF: [(app, "*", ("add", "change", "delete", "view")) for app in PROGRAMME_APPS]
    + [("accounts", "focalpoint", ("add", "change", "delete", "view"))],
    LEADERSHIP: [(app, "*", ("view",)) for app in PROGRAMME_APPS],
    UNIT_FOCAL_POINT: [
        ("units", "member", ("add", "change", "delete", "view")),
        ("pledges", "pledge", ("add", "change", "delete", "view")),
        ("donations", "donation", ("add", "change", "delete", "view")),
        ("donations", "repayment", ("add", "change", "delete", "view")),
        ("units", "unit", ("view",)),
        ("donations", "item", ("view",)),
        # To choose whom the unit helps.
        ("communes", "commune", ("view",)),
        ("communes", "village", ("view",)),
        ("households", "household", ("view",)),
        ("households", "student", ("view",)),
    ],
    COMMUNE_FOCAL_POINT: [
        ("communes", "commune", ("view",)),
        ("communes", "village", ("add", "change", "delete", "view")),
        ("households", "household", ("add", "change", "delete", "view")),
        ("households", "householdstatus", ("add", "change", "delete", "view")),
        ("households", "student", ("add", "change", "delete", "view")),
        ("households", "target", ("add", "change", "delete", "view")),
    ],
}


def sync_role_groups(apps=None) -> None:
    """Create the role groups and grant their permissions; safe to run again.

    Run by a migration (the groups exist from the first migrate) and after every migrate
    (post_migrate), so models added later get their permissions too.
    """
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, rules in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
        wanted = Permission.objects.none()
        for app_label, model, actions in rules:
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__regex=rf"^({'|'.join(actions)})_"
            )
            if model != "*":
                perms = perms.filter(content_type__model=model)
            wanted = wanted | perms
        group.permissions.add(*wanted)
