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

# Group names as staff see them in the admin.
GROUP_NAMES = {
    DISTRICT_STAFF: "Cán bộ chương trình huyện",
    LEADERSHIP: "Lãnh đạo (Thường trực Huyện ủy)",
    UNIT_FOCAL_POINT: "Đầu mối cơ quan, đơn vị",
    COMMUNE_FOCAL_POINT: "Đầu mối xã, thị trấn",
}
ROLE_LABELS = {
    DISTRICT_STAFF: _("District programme staff"),
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
    names = [GROUP_NAMES[role] for role in roles]
    return user.groups.filter(name__in=names).exists()
