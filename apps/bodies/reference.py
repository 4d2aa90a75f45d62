"""The issuing bodies of the reference area (PROGRAMME.md, "After the 2025 reform"), for the demo.

Up to 30/06/2025 the Huyện ủy Tây Hòa ran the programme for the whole district under plan
68-KH/HU; from 01/07/2025 each of the four new communes' party committees runs it for its own
commune, under the Đảng bộ tỉnh Đắk Lắk. Signers' names are inventions.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from apps.bodies.models import IssuingBody
from apps.bodies.services import save_issuing_body
from apps.communes.models import Commune

PROGRAMME_TITLE = (
    "Cơ quan, đơn vị giúp đỡ xã, thôn (buôn) khó khăn và cán bộ, đảng viên, công chức, viên chức giúp đỡ hộ nghèo"
)
CONTINUED_TITLE = (
    "Tiếp tục thực hiện việc cơ quan, đơn vị giúp đỡ thôn (buôn) khó khăn và cán bộ, đảng viên, "
    "công chức, viên chức giúp đỡ hộ nghèo trên địa bàn xã, giai đoạn 2025 – 2030"
)
COMMUNE_RECIPIENTS = "\n".join(
    [
        "Ban Thường vụ Tỉnh ủy (b/c)",
        "Các đồng chí Đảng ủy viên",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "Các chi bộ trực thuộc",
        "Lưu Văn phòng Đảng ủy",
    ]
)
AFTER_THE_REFORM_LABELS = {
    "district_units_label": "Các cơ quan, đơn vị cấp tỉnh",
    "commune_committees_label": "Đảng ủy các xã, phường",
    "other_label": "Các nhà hảo tâm khác",
}


def _commune_committee(
    code: str, commune: str, name: str, signer: str, plan: str, plan_date: datetime.date
) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"Đảng ủy xã {name}",
        "superior_body": "Đảng bộ tỉnh Đắk Lắk",
        "symbol": "ĐU",
        "place_name": name,
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_role": "BÍ THƯ",
        "signer_name": signer,
        "recipients": COMMUNE_RECIPIENTS,
        "plan_number": plan,
        "plan_date": plan_date,
        "plan_title": CONTINUED_TITLE,
        "start": datetime.date(2025, 7, 1),
        "end": None,
        "whole_installation": False,
        "communes": [commune],
        **AFTER_THE_REFORM_LABELS,
    }


# One entry per body: the model's fields, with "communes" as commune codes.
REFERENCE_BODIES: list[dict[str, Any]] = [
    {
        "code": "HU_TAY_HOA",
        "name": "Huyện ủy Tây Hòa",
        "superior_body": "Đảng bộ tỉnh Phú Yên",
        "symbol": "HU",
        "place_name": "Tây Hòa",
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_role": "PHÓ BÍ THƯ",
        "signer_name": "Trần Hữu Phước",
        "recipients": "\n".join(
            [
                "Thường trực Tỉnh ủy (b/c)",
                "Ban Dân vận Tỉnh ủy (b/c)",
                "Các đồng chí Huyện ủy viên",
                "Các cơ quan, đơn vị huyện",
                "Đảng ủy các xã, thị trấn",
                "Lưu Văn phòng Huyện ủy",
            ]
        ),
        "plan_number": "68-KH/HU",
        "plan_date": datetime.date(2014, 2, 14),
        "plan_title": PROGRAMME_TITLE,
        "start": datetime.date(2014, 2, 14),
        "end": datetime.date(2025, 6, 30),
        "whole_installation": True,
        "communes": [],
        # As the 2014-2018 review names them.
        "district_units_label": "Các nhóm cơ quan, đơn vị huyện",
        "commune_committees_label": "Đảng ủy các xã, thị trấn",
        "other_label": "Các nhà hảo tâm khác",
    },
    _commune_committee(
        "DU_TAY_HOA_2025", "TAY_HOA_2025", "Tây Hòa", "Nguyễn Minh Tuấn", "05-KH/ĐU", datetime.date(2025, 8, 15)
    ),
    _commune_committee(
        "DU_HOA_THINH_2025", "HOA_THINH_2025", "Hòa Thịnh", "Lê Thị Thu Hà", "07-KH/ĐU", datetime.date(2025, 8, 20)
    ),
    _commune_committee(
        "DU_HOA_MY_2025", "HOA_MY_2025", "Hòa Mỹ", "Phạm Văn Lộc", "04-KH/ĐU", datetime.date(2025, 8, 12)
    ),
    _commune_committee(
        "DU_SON_THANH_2025", "SON_THANH_2025", "Sơn Thành", "Võ Tấn Đạt", "06-KH/ĐU", datetime.date(2025, 8, 18)
    ),
]


@transaction.atomic
def load_reference_bodies() -> int:
    """Create the reference bodies that do not exist yet (matched by code); returns how many were created.

    Safe to run again: a body already there is left exactly as staff may have edited it.
    The communes must exist (the demo's communes are loaded first).
    """
    existing = set(
        IssuingBody.objects.filter(code__in=[b["code"] for b in REFERENCE_BODIES]).values_list("code", flat=True)
    )
    missing = [values for values in REFERENCE_BODIES if values["code"] not in existing]
    if not missing:
        return 0
    codes = {code for values in missing for code in values["communes"]}
    communes = Commune.objects.in_bulk(codes, field_name="code")
    if unknown := codes - communes.keys():
        raise LookupError(f"Load the communes before the issuing bodies; missing: {', '.join(sorted(unknown))}")
    for values in missing:
        fields = {name: value for name, value in values.items() if name != "communes"}
        save_issuing_body(IssuingBody(**fields), communes=[communes[code] for code in values["communes"]])
    return len(missing)
