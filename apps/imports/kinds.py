"""The KINDs of CONTRACT.md "Import format": their columns, how rows are matched and saved.

A column names its contract key, the Vietnamese label of the templates, how its cells are read,
and the model field it fills (or the model it refers to by code). The importer is generic over
these specs; what is special to a KIND (beneficiaries, donation rules) lives in the model's
clean() and in the services, so the admin and the importer apply the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.bodies.models import IssuingBody
from apps.bodies.services import save_issuing_body
from apps.communes.models import Commune, Village
from apps.communes.services import save_village_commune
from apps.core.services import save_validated
from apps.donations.models import Donation, Item
from apps.donations.services import save_donation, save_repayment
from apps.households.beneficiaries import BeneficiaryKind
from apps.households.models import Household, HouseholdStatus, PovertyStandard, Student
from apps.households.services import save_classification
from apps.imports import parsing as p
from apps.imports.records import IMPORTABLE, Record, reference_field
from apps.pledges.models import Pledge
from apps.units.models import Member, Unit, UnitGroup

BENEFICIARY_MODELS: dict[str, type[models.Model]] = {
    BeneficiaryKind.COMMUNE: Commune,
    BeneficiaryKind.VILLAGE: Village,
    BeneficiaryKind.HOUSEHOLD: Household,
    BeneficiaryKind.STUDENT: Student,
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the template's Vietnamese header; data, not UI text, so not translated
    parse: Callable[[Any], Any]
    required: bool = False
    field: str | None = None  # model field filled (a ForeignKey's name for references)
    ref: tuple[type[models.Model], str] | None = None  # (model, lookup field) for codes of other records
    example: Any = ""
    help: Any = ""
    # Headers of older templates, still read (docs/glossary.md replaced their words): never written again.
    former_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str  # a record kind of records.IMPORTABLE
    columns: list[Column]
    save: Callable[..., models.Model] = save_validated
    has_beneficiary: bool = False
    label: Any = ""
    # Model fields that are checked together with other columns: whose column shows their errors.
    error_columns: dict[str, str] = field(default_factory=dict)
    # Which of the model's records a row may match (household_statuses: yearly reviews only).
    match_filter: dict[str, Any] = field(default_factory=dict)
    # The matching key as compared (classifications: a yearly review is one per year, whatever its date).
    normalise_key: Callable[[tuple], tuple] | None = None

    @property
    def bulk(self) -> bool:
        """New records may be inserted many at a time: the service only validates then saves (nothing else)
        and the model is a plain table. Keep in step with the services: a service that does more per
        record (as save_repayment's loan lock) keeps its kind row by row."""
        return self.save in BULK_SAVES and not self.model._meta.parents

    @property
    def record(self) -> Record:
        return IMPORTABLE[self.name]

    @property
    def model(self) -> type[models.Model]:
        return self.record.model

    @cached_property
    def match(self) -> tuple[str, ...]:
        """The columns whose values find an existing record: those that fill the record's natural key."""
        column_of_field = {column.field: column.key for column in self.columns}
        return tuple(column_of_field[name] for name in self.record.key)

    @cached_property
    def columns_by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @property
    def required(self) -> list[str]:
        return [column.key for column in self.columns if column.required]

    def column_for_field(self, field_name: str) -> str:
        """The column that shows a validation error raised on a model field."""
        if field_name in self.error_columns:
            return self.error_columns[field_name]
        for column in self.columns:
            if column.field == field_name or column.key == field_name:
                return column.key
        if self.has_beneficiary and field_name in BENEFICIARY_MODELS:
            return "beneficiary_code"
        return self.match[0]


# Everyday words for some choices, besides their codes and labels (data, not UI text: not translated).
DONATION_ALIASES = {"loan": ["cho vay", "vay", "cho mượn vốn"], "money": ["tiền mặt"], "labour": ["công"]}
STATUS_ALIASES = {
    "poor": ["nghèo"],
    "near_poor": ["cận nghèo"],
    "at_risk": ["nguy cơ tái nghèo", "có nguy cơ tái nghèo"],
    "escaped": ["thoát nghèo"],
}


# Services that do no more than normalise_texts + full_clean + save (see Kind.bulk).
BULK_SAVES = (save_validated, save_donation)


def _choices(model_choices, aliases: dict[str, list[str]] | None = None) -> p.ChoiceParser:
    return p.choice_parser(list(model_choices.choices), aliases)


def _choice_column(key: str, label: str, parser: p.ChoiceParser, example: str, *, required: bool = True) -> Column:
    """A column of codes that also takes their Vietnamese labels; its help lists both, in the catalogue's words."""
    return Column(key, label, parser, required=required, field=key, example=example, help=lazy(parser.describe, str)())


def _name(label: str = "Tên", example: str = "") -> Column:
    return Column("name", label, p.parse_text, required=True, field="name", example=example)


REF_HELP = _("Code of a record that already exists or is created earlier in the same file.")


def _ref(
    key: str,
    label: str,
    model: type[models.Model],
    field_name: str,
    *,
    required: bool = False,
    example: str = "",
    help: Any = REF_HELP,
    former_labels: tuple[str, ...] = (),
) -> Column:
    ref = (model, reference_field(model))
    return Column(
        key,
        label,
        p.parse_code,
        required=required,
        field=field_name,
        ref=ref,
        example=example,
        help=help,
        former_labels=former_labels,
    )


def _start(example: str = "14/02/2014") -> Column:
    return Column("start", "Từ ngày", p.parse_date, required=True, field="start", example=example, help=_("dd/mm/yyyy"))


OPEN_END_HELP = _("dd/mm/yyyy; empty while it lasts")


def _end(*, required: bool = False, example: str = "", help: Any = OPEN_END_HELP) -> Column:
    return Column("end", "Đến ngày", p.parse_date, required=required, field="end", example=example, help=help)


START = _start()
END = _end()

BENEFICIARY_COLUMNS = [
    _choice_column("beneficiary_kind", "Đối tượng được giúp", _choices(BeneficiaryKind), "household"),
    Column(
        "beneficiary_code",
        "Mã đối tượng",
        p.parse_code,
        required=True,
        example="VD-HO1",
        help=_("Code of the commune, village, household or student"),
    ),
]

KINDS: dict[str, Kind] = {}


def _register(kind: Kind) -> None:
    KINDS[kind.name] = kind


_register(
    Kind(
        "communes",
        label=_("communes"),
        columns=[
            Column("code", "Mã xã", p.parse_code, required=True, field="code", example="VD-XA1"),
            _name("Tên xã", "Phú Thứ (ví dụ)"),
            _choice_column("kind", "Loại", _choices(Commune.Kind), "thi_tran"),
            Column(
                "disadvantaged",
                "Xã khó khăn",
                p.parse_bool,
                field="disadvantaged",
                example="0",
                help=_("1/0, có/không"),
            ),
            _ref("successor_code", "Mã xã sáp nhập vào", Commune, "successor", example=""),
            Column("valid_to", "Tồn tại đến ngày", p.parse_date, field="valid_to", help=_("dd/mm/yyyy")),
        ],
    )
)
UNKNOWN_COMMUNES = _("no commune with code %(codes)s")


def _parse_list(separator: str, parse_item: Callable[[Any], str]) -> Callable[[Any], list[str]]:
    """A cell holding several values: "HOA_MY_2025, SON_THANH_2025", or recipients separated by ";"."""

    def parse(value: Any) -> list[str]:
        return [parse_item(item) for item in p.parse_text(value).split(separator) if item.strip()]

    return parse


def _parse_recipients(value: Any) -> str:
    return "\n".join(_parse_list(";", p.parse_text)(value))


def _save_issuing_body(body: IssuingBody, **_options: Any) -> IssuingBody:
    """Through the service the admin uses, so the area rules hold: codes become the communes it covers."""
    codes = body.commune_codes
    communes = Commune.objects.in_bulk(codes, field_name="code")
    if unknown := [code for code in codes if code not in communes]:
        raise ValidationError({"commune_codes": UNKNOWN_COMMUNES % {"codes": ", ".join(f"“{c}”" for c in unknown)}})
    return save_issuing_body(body, communes=[communes[code] for code in codes])


def _text(key: str, label: str, *, required: bool = False, example: str = "", help: Any = "") -> Column:
    return Column(key, label, p.parse_text, required=required, field=key, example=example, help=help)


_register(
    Kind(
        "issuing_bodies",
        label=_("issuing bodies"),
        save=_save_issuing_body,
        error_columns={"communes": "commune_codes"},
        columns=[
            Column("code", "Mã cơ quan ban hành", p.parse_code, required=True, field="code", example="VD-DU1"),
            _name("Tên cơ quan ban hành", "Đảng ủy xã Ví Dụ"),
            _text("superior_body", "Cấp trên", example="Đảng bộ tỉnh Đắk Lắk", help=_("Empty for a province")),
            _text("symbol", "Ký hiệu", required=True, example="ĐU", help=_("As in the number line: Số …-BC/ĐU")),
            _text("place_name", "Địa danh", required=True, example="Ví Dụ"),
            _text("signer_title", "Thẩm quyền ký", example="T/M BAN THƯỜNG VỤ"),
            _text("signer_role", "Chức vụ người ký", example="BÍ THƯ"),
            _text("signer_name", "Họ tên người ký", required=True, example="Nguyễn Văn A"),
            Column(
                "recipients",
                "Nơi nhận",
                _parse_recipients,
                field="recipients",
                example="Ban Thường vụ Tỉnh ủy (b/c); Lưu Văn phòng Đảng ủy",
                help=_("Recipients separated by ;"),
            ),
            _text("plan_number", "Số kế hoạch", required=True, example="05-KH/ĐU"),
            Column("plan_date", "Ngày kế hoạch", p.parse_date, required=True, field="plan_date", example="15/08/2025"),
            _text("plan_title", "Tên kế hoạch", required=True, example="Giúp đỡ hộ nghèo trên địa bàn xã"),
            _start("01/07/2025"),
            END,
            Column(
                "whole_installation",
                "Toàn địa bàn",
                p.parse_bool,
                field="whole_installation",
                example="0",
                help=_("1 when the body covers every commune; otherwise give commune_codes"),
            ),
            Column(
                "commune_codes",
                "Mã các xã",
                _parse_list(",", p.parse_code),
                field="commune_codes",
                example="VD-XA1",
                help=_("Codes of the communes it covers, separated by commas"),
            ),
            _text("district_units_label", "Tên khối cơ quan, đơn vị", example="Các cơ quan, đơn vị cấp tỉnh"),
            _text("commune_committees_label", "Tên khối đảng ủy xã", example="Đảng ủy các xã, phường"),
            _text("other_label", "Tên khối khác", example="Các nhà hảo tâm khác"),
        ],
    )
)
_register(
    Kind(
        "villages",
        label=_("villages"),
        columns=[
            Column("code", "Mã thôn", p.parse_code, required=True, field="code", example="VD-THON1"),
            _ref("commune_code", "Mã xã", Commune, "commune", required=True, example="VD-XA1"),
            _name("Tên thôn", "Khu phố 1"),
            _choice_column("kind", "Loại", _choices(Village.Kind), "khu_pho"),
            Column(
                "disadvantaged",
                "Thôn khó khăn",
                p.parse_bool,
                field="disadvantaged",
                example="0",
                help=_("1/0, có/không"),
            ),
        ],
    )
)
_register(
    Kind(
        "village_communes",
        label=_("villages' communes over time"),
        save=save_village_commune,
        columns=[
            _ref("village_code", "Mã thôn", Village, "village", required=True, example="VD-THON1"),
            _ref("commune_code", "Mã xã", Commune, "commune", required=True, example="VD-XA1"),
            _start("01/07/2025"),
            _end(help=_("dd/mm/yyyy; empty: the village belongs to this commune now (the move)")),
        ],
    )
)
_register(
    Kind(
        "unit_groups",
        label=_("groups of units"),
        columns=[
            Column("code", "Mã nhóm", p.parse_code, required=True, field="code", example="VD-NHOM1"),
            _name("Tên nhóm", "Nhóm ví dụ"),
        ],
    )
)
_register(
    Kind(
        "units",
        label=_("agencies and units"),
        columns=[
            Column("code", "Mã đơn vị", p.parse_code, required=True, field="code", example="VD-DV1"),
            _name("Tên đơn vị", "Ban Dân vận (ví dụ)"),
            _choice_column("kind", "Loại", _choices(Unit.Kind), "district_unit"),
            _ref("commune_code", "Mã xã", Commune, "commune", example=""),
            Column("valid_to", "Tồn tại đến ngày", p.parse_date, field="valid_to", help=_("dd/mm/yyyy")),
        ],
    )
)
_register(
    Kind(
        "group_memberships",
        label=_("group memberships"),
        columns=[
            _ref("unit_code", "Mã đơn vị", Unit, "unit", required=True, example="VD-DV1"),
            _ref("group_code", "Mã nhóm", UnitGroup, "group", required=True, example="VD-NHOM1"),
            START,
            END,
        ],
    )
)
_register(
    Kind(
        "assignments",
        label=_("assignments"),
        columns=[
            _ref("group_code", "Mã nhóm", UnitGroup, "group", required=True, example="VD-NHOM1"),
            _ref("commune_code", "Mã xã", Commune, "commune", required=True, example="VD-XA1"),
            _ref("village_code", "Mã thôn", Village, "village", example=""),
            START,
            END,
        ],
    )
)
_register(
    Kind(
        "members",
        label=_("cadres and party members"),
        columns=[
            Column("code", "Mã cán bộ", p.parse_code, required=True, field="code", example="VD-CB1"),
            _name("Họ và tên", "Nguyễn Văn A"),
            _ref("unit_code", "Mã đơn vị", Unit, "unit", required=True, example="VD-DV1"),
            Column("position", "Chức vụ", p.parse_text, field="position", example="Chuyên viên"),
        ],
    )
)
_register(
    Kind(
        "households",
        label=_("households"),
        columns=[
            Column("code", "Mã hộ", p.parse_code, required=True, field="code", example="VD-HO1"),
            _ref("village_code", "Mã thôn", Village, "village", required=True, example="VD-THON1"),
            Column("head_name", "Chủ hộ", p.parse_text, required=True, field="head_name", example="Trần Thị B"),
            Column(
                "id_number",
                "Số định danh cá nhân",
                p.parse_code,
                field="id_number",
                example="054123456789",
                help=_("Type it as text so leading zeros are kept."),
                former_labels=("Số CCCD",),
            ),
            Column("size", "Số nhân khẩu", p.parse_int, field="size", example=4),
            Column(
                "national_code",
                "Mã hộ rà soát quốc gia",
                p.parse_code,
                field="national_code",
                example="",
                help=_("The household's code in the national poverty review's database"),
            ),
        ],
    )
)
LEGACY_STATUSES = ("poor", "near_poor", "at_risk", "escaped", "none")


# The contract's codes, or the words of the template (STATUS_ALIASES).
LEGACY_STATUS_PARSER = p.choice_parser(
    [(code, dict(HouseholdStatus.Status.choices).get(code, code)) for code in LEGACY_STATUSES],
    {**STATUS_ALIASES, "none": ["không", "không nghèo"]},
)


def _parse_legacy_status(value: Any) -> str:
    """The contract's yearly statuses: "escaped" was an event, its household is on no list now (apps.households)."""
    status = LEGACY_STATUS_PARSER(value)
    return HouseholdStatus.Status.NONE if status == "escaped" else status


_register(
    Kind(
        "household_statuses",
        label=_("yearly statuses"),
        match_filter={"review_round": HouseholdStatus.Round.YEARLY},
        columns=[
            _ref("household_code", "Mã hộ", Household, "household", required=True, example="VD-HO1"),
            Column("year", "Năm", p.parse_int, required=True, field="year", example=2018),
            Column(
                "status",
                "Tình trạng",
                _parse_legacy_status,
                required=True,
                field="legacy_status",
                example="poor",
                help=_("poor (nghèo), near_poor (cận nghèo), at_risk, escaped (thoát nghèo) or none (không)"),
            ),
        ],
    )
)


def _parse_codes(value: Any) -> list[str]:
    """Codes separated by commas or semicolons, in any order: "2022_viec_lam, 2022_bao_hiem_y_te"."""
    return sorted({p.parse_code(code) for code in p.parse_text(value).replace(";", ",").split(",") if code.strip()})


def _yearly_whatever_its_date(key: tuple) -> tuple:
    """(household, year, round, date): a yearly review is one per household and year, its date is a detail."""
    household, year, review_round, decided_on = key
    return (
        household,
        year,
        review_round or HouseholdStatus.Round.YEARLY,
        None if review_round in (None, HouseholdStatus.Round.YEARLY) else decided_on,
    )


def _flag(key: str, label: str, field_name: str) -> Column:
    return Column(key, label, p.parse_bool, field=field_name, example="0", help=_("1/0, có/không"))


_register(
    Kind(
        "classifications",
        label=_("household classifications"),
        save=save_classification,
        normalise_key=_yearly_whatever_its_date,
        error_columns={"deprivations": "deprivations", "causes": "causes"},
        columns=[
            _ref("household_code", "Mã hộ", Household, "household", required=True, example="VD-HO1"),
            Column(
                "year",
                "Danh sách năm",
                p.parse_int,
                required=True,
                field="year",
                example=2023,
                help=_("The year whose list this sets: the review at the end of 2022 sets the list of 2023."),
            ),
            Column(
                "list",
                "Danh sách",
                _choices(HouseholdStatus.Status),
                required=True,
                field="status",
                example="near_poor",
                help=_("poor, near_poor, average or none"),
            ),
            Column(
                "review_round",
                "Đợt rà soát",
                _choices(HouseholdStatus.Round),
                field="review_round",
                example="yearly",
                help=_("yearly (the default) or during_year"),
            ),
            Column("decision_number", "Số quyết định", p.parse_text, field="decision_number", example="215/QĐ-UBND"),
            Column(
                "decided_on",
                "Ngày quyết định",
                p.parse_date,
                field="decided_on",
                example="15/12/2022",
                help=_("dd/mm/yyyy; required for a recognition during the year"),
            ),
            _ref(
                "standard_code",
                "Mã chuẩn nghèo",
                PovertyStandard,
                "standard",
                help=_("Empty: the standard in force for the list year"),
            ),
            Column(
                "deprivations",
                "Chỉ số thiếu hụt",
                _parse_codes,
                field="deprivation_codes",
                example="2022_viec_lam, 2022_bao_hiem_y_te",
                help=_("Codes of the standard's indicators, separated by commas"),
            ),
            Column(
                "causes",
                "Nguyên nhân nghèo",
                _parse_codes,
                field="cause_codes",
                example="thieu_von, om_dau",
                help=_("Codes of the causes of poverty, separated by commas"),
            ),
            _flag("no_labour_capacity", "Không có khả năng lao động", "no_labour_capacity"),
            _flag("ethnic_minority", "Dân tộc thiểu số", "ethnic_minority"),
            _flag("policy_household", "Hộ chính sách", "policy_household"),
            _flag("at_risk", "Có nguy cơ tái nghèo", "at_risk"),
        ],
    )
)
_register(
    Kind(
        "students",
        label=_("students"),
        columns=[
            Column("code", "Mã học sinh", p.parse_code, required=True, field="code", example="VD-HS1"),
            _name("Họ và tên", "Trần Văn C"),
            _ref("household_code", "Mã hộ", Household, "household", required=True, example="VD-HO1"),
            Column("school", "Trường", p.parse_text, field="school", example="THCS Phú Thứ"),
            Column("grade", "Lớp", p.parse_text, field="grade", example="7"),
        ],
    )
)
_register(
    Kind(
        "pledges",
        label=_("pledges"),
        has_beneficiary=True,
        columns=[
            Column("code", "Mã đăng ký", p.parse_code, required=True, field="code", example="VD-DK1"),
            _ref("unit_code", "Mã đơn vị", Unit, "unit", required=True, example="VD-DV1"),
            _ref("member_code", "Mã cán bộ", Member, "member", example="VD-CB1"),
            *BENEFICIARY_COLUMNS,
            Column("start", "Từ ngày", p.parse_date, required=True, field="start", example="01/01/2019"),
            Column("end", "Đến ngày", p.parse_date, required=True, field="end", example="31/12/2020"),
            Column(
                "money_vnd",
                "Số tiền (đồng)",
                p.parse_money,
                field="money_vnd",
                example="1.000.000",
                help=_("Whole đồng: 1.500.000, 1500000 or 1 500 000"),
            ),
            Column(
                "labour_days",
                "Ngày công",
                p.parse_quantity,
                field="labour_days",
                example="2",
                help=_("12,5 is twelve and a half; 1.009 is one thousand and nine"),
            ),
            Column("description", "Nội dung", p.parse_text, field="description", example="Giúp 1 con bò giống"),
        ],
    )
)
_register(
    Kind(
        "donations",
        label=_("donations"),
        save=save_donation,
        has_beneficiary=True,
        columns=[
            Column(
                "reference",
                "Số phiếu",
                p.parse_code,
                required=True,
                field="reference",
                example="VD-UH1",
                help=_("Unique reference; re-importing updates it."),
                former_labels=("Số chứng từ",),
            ),
            Column(
                "date", "Ngày", p.parse_date, required=True, field="date", example="10/05/2016", help=_("dd/mm/yyyy")
            ),
            _ref("unit_code", "Mã đơn vị", Unit, "unit", required=True, example="VD-DV1"),
            _ref("member_code", "Mã cán bộ", Member, "member", example=""),
            _choice_column("kind", "Hình thức", _choices(Donation.Kind, DONATION_ALIASES), "money"),
            Column(
                "amount_vnd",
                "Số tiền (đồng)",
                p.parse_money,
                field="amount_vnd",
                example="1.500.000",
                help=_("Money and loans: > 0. Goods: estimated value, optional."),
            ),
            _ref(
                "item_code",
                "Mã hiện vật",
                Item,
                "item",
                help=_("gao, duong, sach, vo, quan_ao, xe_dap, or an item added in the admin"),
            ),
            Column(
                "quantity",
                "Số lượng",
                p.parse_quantity,
                field="quantity",
                example="",
                help=_("Goods: > 0, in the item's measure; 1.009 = one thousand and nine, 12,5 = twelve and a half"),
            ),
            Column(
                "labour_days", "Ngày công", p.parse_quantity, field="labour_days", example="", help=_("Labour: > 0")
            ),
            *BENEFICIARY_COLUMNS,
            _ref("pledge_code", "Mã đăng ký", Pledge, "pledge", example=""),
            Column("note", "Ghi chú", p.parse_text, field="note", example=""),
            Column(
                "due_date",
                "Hạn trả",
                p.parse_date,
                field="due_date",
                example="",
                help=_("Loans only: when the loan is due back"),
            ),
            _ref(
                "previous_loan_reference",
                "Chuyển tiếp từ khoản vay",
                Donation,
                "previous_loan",
                help=_("Loans only: reference of the loan whose livestock was passed on to this household"),
            ),
        ],
    )
)
_register(
    Kind(
        "repayments",
        label=_("repayments"),
        save=save_repayment,
        columns=[
            Column(
                "reference",
                "Số phiếu",
                p.parse_code,
                required=True,
                field="reference",
                example="VD-TN1",
                former_labels=("Số chứng từ",),
            ),
            _ref(
                "loan_reference",
                "Số phiếu khoản vay",
                Donation,
                "loan",
                required=True,
                example="VD-UH2",
                former_labels=("Số chứng từ khoản vay",),
            ),
            Column("date", "Ngày", p.parse_date, required=True, field="date", example="10/05/2017"),
            Column(
                "amount_vnd",
                "Số tiền (đồng)",
                p.parse_money,
                required=True,
                field="amount_vnd",
                example="1.000.000",
                help=_("The repaid total can never exceed the loan."),
            ),
            Column("note", "Ghi chú", p.parse_text, field="note", example=""),
        ],
    )
)


# Dependency order for a workbook: a sheet only refers to codes of the sheets before it.
def _former_names(
    name: str, label: Any, model: type[models.Model], field_name: str, code_label: str, example: str
) -> Kind:
    """A record's former names: each valid from ``start`` to ``end``; the record's own name stays its current one."""
    return Kind(
        name,
        label=label,
        columns=[
            _ref("code", code_label, model, field_name, required=True, example=example),
            _name("Tên cũ", "Hòa Bình (ví dụ)"),
            _start("14/02/2014"),
            _end(required=True, example="30/06/2025", help=_("dd/mm/yyyy: the last day it bore this name")),
        ],
    )


_register(_former_names("commune_names", _("former names of communes"), Commune, "commune", "Mã xã", "VD-XA1"))
_register(_former_names("village_names", _("former names of villages"), Village, "village", "Mã thôn", "VD-THON1"))
_register(
    _former_names("unit_group_names", _("former names of groups of units"), UnitGroup, "group", "Mã nhóm", "VD-NHOM1")
)
_register(_former_names("unit_names", _("former names of units"), Unit, "unit", "Mã đơn vị", "VD-DV1"))

ORDER = [name for name in IMPORTABLE if name in KINDS]
WORKBOOK = "workbook"


def kind_for_sheet(sheet_name: str) -> Kind | None:
    """The KIND a sheet is named after: its key (``donations``) or its Vietnamese label (``ủng hộ, giúp đỡ``)."""
    found = KINDS.get(p.normalise_header(sheet_name).replace(" ", "_"))
    if found is None:
        folded = p.fold(sheet_name)
        with translation.override("vi"):
            labels = {p.fold(str(kind.label)): kind for kind in KINDS.values()}
        found = labels.get(folded)
    return found
