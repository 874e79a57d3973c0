"""Personal data (citizen ID, birth date, salary, family, phone, email) is seen by the officers of the
member's own union alone: never by the union above (reviewer, leader), never by another union (other_chair).

Every URL of the members namespace that takes an organisation or a member-related object is tried, from the
merged list of tests/test_url_guard.py, so the pages added later are covered without touching this file.
Before each request the objects of the URL carry distinctive values: a member with them joins each
grassroots union of the URL, and each member the URL names (directly, or through a family member, a
welfare record, a transfer…) takes them on. The answer is read as the browser or the program would get it:
HTML, the XML inside an .xlsx, the text of a PDF.
"""

import datetime
import io
import unicodedata
import zipfile

import pdfplumber
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from pdfplumber.utils.exceptions import PdfminerException

from members.models import FamilyMember, Member, Officer, Organization, PersonalDataExport
from tests.factories import FamilyMemberFactory, MemberFactory, UserFactory
from tests.test_url_guard import URLS, _data

CITIZEN_IDS = ("079123456789", "079123456780")
SALARY = 7654321
PHONE = "0909876543"
EMAIL = "rieng.tu@example.com"
BORN = datetime.date(1983, 7, 14)
CHILD = "Bé Riêng Tư"
EXCEL_BORN = str((BORN - datetime.date(1899, 12, 30)).days)  # the date as an .xlsx stores it
SECRETS = (
    *CITIZEN_IDS, str(SALARY), "7.654.321", PHONE, EMAIL, BORN.strftime("%d/%m/%Y"), BORN.isoformat(), CHILD
)  # fmt: skip
PERSONAS = ("reviewer", "leader", "other_chair")
PERSONAL_URLS = sorted(
    name for name, spec in URLS.items() if name.startswith(("members:", "finance:")) and spec.args
)  # the books name members too (payer, payee, dues basis)


def _body(response) -> str:
    """What the response says, as text: HTML, every XML part of an .xlsx, or the text of a PDF."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data.startswith(b"%PDF"):
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        except PdfminerException:  # an uploaded original that only starts like a PDF: read its bytes
            text = data.decode("utf-8", "replace")
    elif data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    else:
        text = data.decode("utf-8", "replace")
    return unicodedata.normalize("NFC", text)


def leaked(response) -> set[str]:
    text = _body(response)
    found = {value for value in SECRETS if value in text}
    if f">{EXCEL_BORN}<" in text:
        found.add("birth date (Excel)")
    return found


def _member_of(obj) -> Member | None:
    if isinstance(obj, Member):
        return obj
    member = getattr(obj, "member", None)
    return member if isinstance(member, Member) else None


def _plant(objects: list, outsiders: list) -> None:
    """Distinctive personal values on every member the URL names, and a member with them in every
    grassroots union it names (never on a member of an outsider's own union: theirs to see)."""
    ids = iter(CITIZEN_IDS)
    theirs = set(Officer.objects.filter(user__in=outsiders).values_list("organization_id", flat=True))
    members = {member.pk: member for member in filter(None, map(_member_of, objects))}
    for member in members.values():
        if member.organization_id in theirs:
            continue
        Member.objects.filter(pk=member.pk).update(
            citizen_id=next(ids), insurance_salary=SALARY, phone=PHONE, email=EMAIL, birth_date=BORN
        )
        FamilyMemberFactory(member=member, full_name=CHILD, birth_date=datetime.date(2019, 3, 3))
    FamilyMember.objects.filter(pk__in=[o.pk for o in objects if isinstance(o, FamilyMember)]).update(
        full_name=CHILD
    )
    organizations = {getattr(o, "organization", o) for o in objects}
    for organization in organizations:
        if (
            isinstance(organization, Organization)
            and organization.is_grassroots
            and organization.pk not in theirs
        ):
            member = MemberFactory(
                organization=organization, full_name="Đoàn Viên Kín", citizen_id=next(ids), birth_date=BORN,
                insurance_salary=SALARY, phone=PHONE, email=EMAIL,
            )  # fmt: skip
            FamilyMemberFactory(member=member, full_name=CHILD)


@pytest.mark.parametrize("name", PERSONAL_URLS)
def test_personal_data_stays_in_the_members_own_union(db, client, request, name):
    spec = URLS[name]
    owner = request.getfixturevalue(spec.allowed)
    outsiders = [request.getfixturevalue(persona) for persona in PERSONAS]
    objects = [request.getfixturevalue(fixture) for fixture in spec.args]
    _plant(objects, outsiders)
    url = reverse(name, args=[obj.pk for obj in objects]) + spec.query
    personal = False
    if spec.method == "get":  # a change is not tried as its owner: it would change what the others see
        client.force_login(owner)
        personal = bool(leaked(client.get(url)))
    for persona, user in zip(PERSONAS, outsiders, strict=True):
        client.force_login(user)
        response = getattr(client, spec.method)(url, _data(spec, owner))
        assert not leaked(response), f"{name} shows {leaked(response)} to {persona}"
        if personal:
            assert response.status_code in (403, 404), f"{name} is personal, {persona} got it"


def test_the_list_covers_the_pages_of_every_area():
    for name in (
        "members:member_list",
        "members:roll_export",
        "members:welfare_export",
        "members:stats_members",
        "finance:dues_sheet",
        "finance:cash_book",
    ):
        assert name in PERSONAL_URLS


# ------------------------------------------------------------------------------------------------ controls


def test_the_owner_sees_the_values_so_the_check_can_fail(
    client, chair, union_a, reviewer, leader, other_chair
):
    """The detector itself: the union's chair finds the values on the roll page and in the roll's file."""
    _plant([union_a], [reviewer, leader, other_chair])
    client.force_login(chair)
    assert BORN.strftime("%d/%m/%Y") in leaked(client.get(reverse("members:member_list", args=[union_a.pk])))
    found = leaked(client.get(reverse("members:roll_export", args=[union_a.pk])))
    assert {CITIZEN_IDS[0], str(SALARY), PHONE, EMAIL, "birth date (Excel)"} <= found


def test_the_detector_reads_pdf_text():
    from weasyprint import HTML

    class Response:
        streaming = False
        content = HTML(string=f"<p>CCCD {CITIZEN_IDS[0]} – {CHILD}</p>").write_pdf()

    assert leaked(Response()) == {CITIZEN_IDS[0], CHILD}


# ------------------------------------------------------------------------------------------------ the admin

ADMIN_MODELS = ("member", "familymember", "memberevent", "welfarerecord", "personaldataexport")


def _staff(user, *models):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="members", codename__in=[f"view_{m}" for m in models]
        )
    )
    return user


@pytest.fixture
def privacy_admin_rows(union_a, chair, reports_welfare, reports_roll):
    """Union A's member with a child, a history line, a welfare record and an export."""
    PersonalDataExport.objects.create(organization=union_a, user=chair, kind="roll", rows=7)
    member = reports_roll["Cúc"]  # admitted by the service (a history line), with a child and a record
    return {
        "member": member,
        "familymember": member.family.get(),
        "memberevent": member.events.get(),
        "welfarerecord": member.welfare_records.get(),
        "personaldataexport": PersonalDataExport.objects.get(),
    }


def test_a_staff_reviewer_sees_no_member_of_the_unions_below_in_the_admin(
    client, reviewer, privacy_admin_rows
):
    client.force_login(_staff(reviewer, *ADMIN_MODELS))
    for model in ADMIN_MODELS:
        changelist = client.get(reverse(f"admin:members_{model}_changelist"))
        assert changelist.status_code == 200
        assert changelist.context["cl"].result_count == 0, model
        assert "Đỗ Thị Cúc" not in changelist.content.decode()
        obj = privacy_admin_rows[model]
        change = client.get(reverse(f"admin:members_{model}_change", args=[obj.pk]), follow=True)
        assert "Đỗ Thị Cúc" not in change.content.decode()
        assert change.redirect_chain or change.status_code in (403, 404), model


def test_a_staff_chair_sees_their_own_union_only(client, chair, privacy_admin_rows, reports_union_b_roll):
    client.force_login(_staff(chair, *ADMIN_MODELS))
    changelist = client.get(reverse("admin:members_member_changelist"))
    names = {member.full_name for member in changelist.context["cl"].result_list}
    assert "Đỗ Thị Cúc" in names and len(names) == 8
    outsider = reports_union_b_roll[0]
    assert client.get(reverse("admin:members_member_change", args=[outsider.pk])).status_code == 302
    record = privacy_admin_rows["welfarerecord"]
    response = client.get(reverse("admin:members_welfarerecord_change", args=[record.pk]))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False  # records are looked at here, never changed


def test_a_superuser_sees_everything(client, privacy_admin_rows):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for model in ADMIN_MODELS:
        assert client.get(reverse(f"admin:members_{model}_changelist")).context["cl"].result_count >= 1, model
        obj = privacy_admin_rows[model]
        assert client.get(reverse(f"admin:members_{model}_change", args=[obj.pk])).status_code == 200, model


def test_the_export_log_cannot_be_changed_in_the_admin(client, privacy_admin_rows):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    export = privacy_admin_rows["personaldataexport"]
    assert client.get(reverse("admin:members_personaldataexport_add")).status_code == 403
    assert (
        client.post(reverse("admin:members_personaldataexport_delete", args=[export.pk])).status_code == 403
    )
