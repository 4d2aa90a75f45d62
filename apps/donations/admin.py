from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeInline, ProgrammeModelAdmin, RelatedFirstSearchMixin
from apps.accounts.audit import AuditHistoryAdminMixin
from apps.accounts.scoping import focal_unit_id, scope_queryset
from apps.core.admin_base import DatedRecordsAdminMixin, EstimatedCountPaginator, page_section, short_date
from apps.core.numbers import grouped, plain_number
from apps.donations.models import REPAYMENT_EXCEEDS_LOAN, Donation, Item, Repayment, repaid_on
from apps.donations.selectors import help_summary, loan_chain
from apps.donations.services import lock_loan, next_reference, save_donation, save_repayment
from apps.households.beneficiaries import BENEFICIARY_SELECT_RELATED, BeneficiaryKind
from apps.households.models import Household
from apps.units.admin_filters import SectorFilter
from apps.units.models import Unit


@admin.register(Item)
class ItemAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "measure", "position"]
    list_display_links = ["code", "name"]
    list_editable = ["position"]
    search_fields = ["code", "name__unaccent"]


def describe_given(donation: Donation) -> str:
    """ "1.500.000 đồng", "20 kg Gạo", "3 ngày công": what a donation gave, as a list shows it."""
    if donation.kind == Donation.Kind.GOODS:
        return f"{grouped(donation.quantity)} {donation.item.measure} {donation.item.name}"
    if donation.kind == Donation.Kind.LABOUR:
        return str(_("%(days)s labour days") % {"days": grouped(donation.labour_days)})
    text = _("%(amount)s VND") % {"amount": grouped(donation.amount_vnd)}
    return f"{text} ({donation.get_kind_display()})" if donation.kind == Donation.Kind.LOAN else str(text)


class RepaymentFormSet(BaseInlineFormSet):
    def full_clean(self) -> None:
        # Before any row is checked against what is saved: see RepaymentForm.
        lock_loan(self.instance.pk)
        super().full_clean()

    def clean(self) -> None:
        super().clean()
        # Each row is checked alone against what is saved; together they must fit the loan too.
        total = sum(
            form.cleaned_data.get("amount_vnd") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if self.instance.amount_vnd is not None and total > self.instance.amount_vnd:
            raise ValidationError(REPAYMENT_EXCEEDS_LOAN)


class RepaymentInline(ProgrammeInline):
    model = Repayment
    formset = RepaymentFormSet
    fields = ["reference", "date", "amount_vnd", "note"]
    verbose_name_plural = _("repayments of this loan")


@admin.register(Donation)
class DonationAdmin(RelatedFirstSearchMixin, AuditHistoryAdminMixin, DatedRecordsAdminMixin, ProgrammeModelAdmin):
    list_display = ["reference", short_date(Donation, "date"), "unit", "kind", "given", "repaid", "beneficiary_label"]
    list_export = [
        "reference",
        "date",
        "unit",
        "kind",
        "money",
        "item",
        "amount",
        "labour",
        "repaid",
        "beneficiary_kind",
        "beneficiary_label",
        "member",
        "pledge",
        "due_date",
        "note",
    ]
    list_select_related = ["unit", "item", "member", "pledge", *BENEFICIARY_SELECT_RELATED]
    # No filter per unit: 60-odd units make a wall of links; search finds a unit by name or code.
    list_filter = ["kind", SectorFilter, "beneficiary_kind", "item"]
    search_fields = [
        "reference",
        "unit__code",
        "unit__name__unaccent",
        "member__name__unaccent",
        "household__code",
        "household__head_name__unaccent",
        "student__code",
        "village__name__unaccent",
        "commune__name__unaccent",
    ]
    autocomplete_fields = ["unit", "member", "pledge", "commune", "village", "household", "student", "previous_loan"]
    date_hierarchy = "date"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["balance", "chain"]
    fieldsets = [
        (_("Who"), {"fields": ["reference", "date", "unit", "member", "pledge"]}),
        (
            _("What"),
            {
                "fields": ["kind", "amount_vnd", "item", "quantity", "labour_days"],
                "description": _(
                    "Money and loans: the amount only. Goods: the item and quantity (and an estimated value if "
                    "known). Labour: the number of days."
                ),
            },
        ),
        (
            _("To whom"),
            {
                "fields": ["beneficiary_kind", "commune", "village", "household", "student"],
                "description": _("Choose the kind, then fill in only the matching field."),
            },
        ),
        (_("Loan details"), {"fields": ["due_date", "previous_loan"], "classes": ["collapse"]}),
        (None, {"fields": ["note"]}),
    ]

    def get_queryset(self, request):
        # A subquery in the SELECT list: PostgreSQL runs it for the page's rows only, after the LIMIT.
        return super().get_queryset(request).with_repaid()

    # Not sortable: ordering by it would run the subquery for every donation.
    @admin.display(description=_("repaid (VND)"))
    def repaid(self, obj: Donation) -> int | None:
        return obj.repaid_vnd if obj.kind == Donation.Kind.LOAN else None

    def get_fieldsets(self, request, obj=None):
        if obj is None or obj.kind != Donation.Kind.LOAN:
            return self.fieldsets
        # A loan's due date, origin and balance are what the clerk came for: keep them open.
        loan_details = (_("Loan details"), {"fields": ["due_date", "previous_loan", "balance", "chain"]})
        return [
            loan_details if options["fields"][0] == "due_date" else (name, {**options, "classes": []})
            for name, options in self.fieldsets
        ]

    @admin.display(description=_("still owed (VND)"))
    def balance(self, obj: Donation) -> str:
        return grouped(obj.amount_vnd - obj.repaid_vnd)

    @admin.display(description=_("revolving chain"))
    def chain(self, obj: Donation) -> str:
        """Each loan of the chain, linked: whose livestock was passed on to whom, and what is still owed."""
        loans = loan_chain(loan=obj)
        if not loans:
            return _("This loan was not passed on from or to another loan.")
        return format_html_join(
            mark_safe("<br>"),
            '{}<a href="{}">{}</a> · {} · {} · {}',
            (
                (
                    "→ " if n else "",
                    reverse("admin:donations_donation_change", args=[loan.pk]),
                    loan.reference,
                    loan.date.strftime("%d/%m/%Y"),
                    loan.household.code if loan.household_id else "",
                    _("%(amount)s VND") % {"amount": grouped(loan.amount_vnd)},
                )
                for n, loan in enumerate(loans)
            ),
        )

    def get_inlines(self, request, obj):
        return [RepaymentInline] if obj is not None and obj.kind == Donation.Kind.LOAN else []

    @admin.display(description=_("given"))
    def given(self, obj: Donation) -> str:
        return describe_given(obj)

    @admin.display(description=_("amount (VND)"), ordering="amount_vnd")
    def money(self, obj: Donation) -> int | None:
        # Goods carry an estimated value only when known: 0 there means "not given", not "nothing".
        return obj.amount_vnd or None

    @admin.display(description=_("quantity"), ordering="quantity")
    def amount(self, obj: Donation):
        return plain_number(obj.quantity)

    @admin.display(description=_("labour days"), ordering="labour_days")
    def labour(self, obj: Donation):
        return plain_number(obj.labour_days)

    @admin.display(description=_("beneficiary"))
    def beneficiary_label(self, obj: Donation) -> str:
        return str(obj.beneficiary or "")

    def save_record(self, request, obj: Donation) -> None:
        save_donation(obj)

    def response_add(self, request, obj, post_url_continue=None):
        response = super().response_add(request, obj, post_url_continue)
        # Recorded from a household's, unit's or pledge's page: back to that page, where the new row shows.
        back = request.GET.get(RETURN_TO, "")
        saved_plainly = not {"_continue", "_addanother", "_popup"} & set(request.POST)
        if saved_plainly and back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
            return HttpResponseRedirect(back)
        return response

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "reference" and field is not None:
            # Left blank, the service numbers it (apps.donations.services.next_reference).
            field.required = False
            field.help_text = escape(reference_hint(request))  # the admin shows help texts as HTML
        return field

    def save_formset(self, request, form, formset, change: bool) -> None:
        if formset.model is not Repayment:
            return super().save_formset(request, form, formset, change)
        # Deletions first, then smaller amounts first, so the loan is never over-repaid in between.
        repayments = formset.save(commit=False)
        for repayment in formset.deleted_objects:
            repayment.delete()
        for repayment in sorted(repayments, key=lambda r: r.amount_vnd):
            save_repayment(repayment)
        self.announce_dates(request, [r.date for r in [*formset.deleted_objects, *repayments]], sender=Repayment)


class RepaymentForm(forms.ModelForm):
    def clean(self) -> dict:
        cleaned = super().clean()
        # The admin validates and saves in one transaction: with the loan locked before the model's
        # check runs, clerks repaying one loan at once are checked one after the other, and each
        # loser sees "above the amount lent" on the form instead of a server error at save time.
        if loan := cleaned.get("loan"):
            lock_loan(loan.pk)
        return cleaned


class LoanWithBalanceFilter(admin.SimpleListFilter):
    title = _("loan balance")
    parameter_name = "balance"

    def lookups(self, request, model_admin):
        return [("open", _("still owed")), ("repaid", _("fully repaid"))]

    def queryset(self, request, queryset):
        loans = Donation.objects.loans().with_repaid()
        if self.value() == "open":
            return queryset.filter(loan__in=loans.filter(repaid_vnd__lt=F("amount_vnd")))
        if self.value() == "repaid":
            return queryset.filter(loan__in=loans.filter(repaid_vnd__gte=F("amount_vnd")))
        return queryset


@admin.register(Repayment)
class RepaymentAdmin(RelatedFirstSearchMixin, AuditHistoryAdminMixin, DatedRecordsAdminMixin, ProgrammeModelAdmin):
    form = RepaymentForm
    list_display = [
        "reference",
        short_date(Repayment, "date"),
        "loan",
        "loan_household",
        "amount_vnd",
        "loan_amount",
        "loan_balance",
    ]
    list_filter = [LoanWithBalanceFilter, ("loan__unit", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["loan__household"]
    search_fields = ["reference", "loan__reference", "loan__household__code", "loan__household__head_name__unaccent"]
    autocomplete_fields = ["loan"]
    date_hierarchy = "date"
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(loan_repaid=repaid_on(OuterRef("loan")))

    @admin.display(description=_("household"))
    def loan_household(self, obj: Repayment) -> str:
        return str(obj.loan.household or "")

    @admin.display(description=_("amount lent (VND)"), ordering="loan__amount_vnd")
    def loan_amount(self, obj: Repayment) -> int:
        return obj.loan.amount_vnd

    @admin.display(description=_("still owed (VND)"))
    def loan_balance(self, obj: Repayment) -> int:
        return obj.loan.amount_vnd - obj.loan_repaid

    def save_record(self, request, obj: Repayment) -> None:
        save_repayment(obj)


def reference_hint(request: HttpRequest) -> str:
    """The numbering scheme, with the next number when the unit is known (from the link or the focal point)."""
    unit_id = request.GET.get("unit", "")
    unit = Unit.objects.filter(pk=int(unit_id) if unit_id.isdigit() else focal_unit_id(request.user) or 0).first()
    if unit is None:
        return str(REFERENCE_SCHEME % {"example": f"CA-{timezone.localdate().year}-0001"})
    return str(REFERENCE_SCHEME % {"example": next_reference(unit_code=unit.code, year=timezone.localdate().year)})


REFERENCE_SCHEME = _(
    "Leave it blank and the portal numbers it by unit and year: <unit code>-<year>-<number>, "
    "for example %(example)s. A receipt's own number can be typed instead."
)
KIND_LINKS = [
    (Donation.Kind.MONEY, _("money")),
    (Donation.Kind.GOODS, _("goods")),
    (Donation.Kind.LABOUR, _("labour days")),
    (Donation.Kind.LOAN, _("loan")),
]


RETURN_TO = "return_to"


def help_section(request: HttpRequest, *, title, empty, donations, prefill: dict, list_filter: dict) -> str:
    """The help recorded for one household, unit or pledge, with links to record more for it."""
    prefill = {**prefill, RETURN_TO: request.path}
    donations = scope_queryset(request.user, donations)
    summary = help_summary(donations=donations)
    add_url = reverse("admin:donations_donation_add")
    add_links = []
    if request.user.has_perm("donations.add_donation"):
        add_links = [(label, f"{add_url}?{urlencode({**prefill, 'kind': kind})}") for kind, label in KIND_LINKS]
    rows = [
        {
            "date": donation.date,
            "reference": donation.reference,
            "url": reverse("admin:donations_donation_change", args=[donation.pk]),
            "unit": donation.unit.name,
            "given": describe_given(donation),
            "beneficiary": donation.beneficiary or "",
        }
        for donation in summary["latest"]
    ]
    return render_to_string(
        "donations/_help_section.html",
        {
            "title": title,
            "empty": empty,
            "add_title": _("Record help:"),
            "add_links": add_links,
            "summary": summary,
            "totals_lines": totals_lines(summary["totals"]),
            "rows": rows,
            "list_url": f"{reverse('admin:donations_donation_changelist')}?{urlencode(list_filter)}",
        },
        request=request,
    )


def totals_lines(totals: dict) -> list[str]:
    """ "1.500.000 đồng bằng tiền", "20 kg Gạo", …: the non-zero figures of a TOTALS row."""
    lines = []
    if totals["money_vnd"]:
        lines.append(str(_("%(amount)s VND in money") % {"amount": grouped(totals["money_vnd"])}))
    if totals["loans_vnd"]:
        lines.append(str(_("%(amount)s VND lent") % {"amount": grouped(totals["loans_vnd"])}))
    for goods in totals["goods"].values():
        lines.append(f"{grouped(goods['quantity'])} {goods['measure']} {goods['name']}")
    if totals["labour_days"]:
        lines.append(str(_("%(days)s labour days") % {"days": grouped(totals["labour_days"])}))
    return lines


@page_section(Household)
def household_help(request: HttpRequest, household: Household) -> str:
    return help_section(
        request,
        title=_("Help received by this household"),
        empty=_("No help has been recorded for this household yet."),
        donations=Donation.objects.filter(household=household),
        prefill={"beneficiary_kind": BeneficiaryKind.HOUSEHOLD, "household": household.pk},
        list_filter={"household__id__exact": household.pk},
    )


@page_section(Unit)
def unit_help(request: HttpRequest, unit: Unit) -> str:
    return help_section(
        request,
        title=_("Help given by this unit"),
        empty=_("No help has been recorded for this unit yet."),
        donations=Donation.objects.filter(unit=unit),
        prefill={"unit": unit.pk},
        list_filter={"unit__id__exact": unit.pk},
    )
