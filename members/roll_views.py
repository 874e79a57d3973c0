"""The member roll of a grassroots union: the list (search, filters, pages), the Excel template and import.

Personal data is for the officers of the member's own union alone (`view_members`): the union above gets 403
here and sees counts elsewhere; anyone else, 404.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from members import access
from members.importing import MAX_BYTES, ImportRefused, members_import, template_workbook
from members.models import Member

PAGE_SIZE = 50
AGE_BANDS = {"u30": (0, 29), "30": (30, 39), "40": (40, 49), "50": (50, 200)}
SORTS = {"name": ("sort_name", "pk"), "birth": ("birth_date", "pk"), "admitted": ("-admitted_on", "pk")}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the columns the roll page shows (and sorts on); `organization` for the related manager's own check
ROLL_PAGE_FIELDS = [
    "organization", "union_group__name", "full_name", "birth_date", "sex", "position", "party_member",
    "admitted_on", "status",
]  # fmt: skip


class RollFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Name or citizen ID"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[("", gettext_lazy("On the roll"))]
        + [("all", gettext_lazy("Everyone"))] + list(Member.Status.choices),
    )  # fmt: skip
    group = forms.TypedChoiceField(
        label=gettext_lazy("Union group"), required=False, coerce=int, empty_value=None
    )
    sex = forms.ChoiceField(
        label=gettext_lazy("Sex"), required=False, choices=[("", "—"), *Member.Sex.choices]
    )
    age = forms.ChoiceField(
        label=gettext_lazy("Age"), required=False,
        choices=[("", "—"), ("u30", gettext_lazy("Under 30")), ("30", "30–39"), ("40", "40–49"),
                 ("50", gettext_lazy("50 and over"))],
    )  # fmt: skip
    party = forms.ChoiceField(
        label=gettext_lazy("Party member"), required=False,
        choices=[("", "—"), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    )  # fmt: skip
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"), required=False,
        choices=[("name", gettext_lazy("Name")), ("birth", gettext_lazy("Date of birth")),
                 ("admitted", gettext_lazy("Newest admissions"))],
    )  # fmt: skip

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", "—"), *organization.union_groups.values_list("pk", "name")]

    def apply(self, members, today: datetime.date):
        """The roll filtered as asked (an invalid value is dropped, with the form saying why)."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status")
        if status == "all":
            pass
        elif status:
            members = members.filter(status=status)
        else:
            members = members.filter(
                status__in=[Member.Status.ACTIVE, Member.Status.SUSPENDED, Member.Status.HONORARY]
            )
        if data.get("q"):
            members = members.filter(Q(full_name__icontains=data["q"]) | Q(citizen_id=data["q"]))
        if data.get("group"):
            members = members.filter(union_group_id=data["group"])
        if data.get("sex"):
            members = members.filter(sex=data["sex"])
        if data.get("party"):
            members = members.filter(party_member=data["party"] == "yes")
        if data.get("age"):
            youngest, oldest = AGE_BANDS[data["age"]]
            born_after = _years_before(today, oldest + 1)
            born_by = _years_before(today, youngest)
            members = members.filter(birth_date__gt=born_after, birth_date__lte=born_by)
        return members.order_by(*SORTS[data.get("sort") or "name"])


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@login_required
@require_GET
def member_list(request, pk):
    organization = access.get_organization_for(request.user, pk, action="view_members")
    form = RollFilter(request.GET or None, organization=organization)
    members = form.apply(
        organization.members.select_related("union_group").only(*ROLL_PAGE_FIELDS), timezone.localdate()
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    sexes = {value: str(label) for value, label in Member.Sex.choices}
    statuses = {value: str(label) for value, label in Member.Status.choices}
    rows = [
        (number, member, sexes.get(member.sex, member.sex), statuses.get(member.status, member.status))
        for number, member in enumerate(page, start=page.start_index())
    ]  # the labels looked up once each, not through get_FOO_display() per row
    counts = dict(
        organization.members.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "counts": [
            (label, counts.get(value, 0)) for value, label in Member.Status.choices if counts.get(value)
        ],
        "can_manage": access.can(request.user, "manage_members", organization),
    }
    return render(request, "members/member_list.html", context)


@login_required
@require_GET
def member_template(request, pk):
    access.get_organization_for(request.user, pk, action="view_members")
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-doan-vien.xlsx"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return file


@login_required
@require_http_methods(["GET", "POST"])
def member_import(request, pk):
    organization = access.get_organization_for(request.user, pk, action="manage_members")
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = members_import(
                data=form.cleaned_data["file"].read(), organization=organization, by=request.user
            )
        except ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request, _("%(count)s members were added to the roll.") % {"count": len(created)}
            )
            return redirect("members:member_list", organization.pk)
    status = 422 if request.method == "POST" else 200
    context = {"organization": organization, "form": form, "errors": errors}
    return render(request, "members/member_import.html", context, status=status)
