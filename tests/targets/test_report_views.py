"""Report pages: the list of periods, starting, editing (stale saves, bad input, evidence), the review."""

import datetime
import re
import zoneinfo
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from targets import report_services
from targets.models import Report, ReportEntry, ReportingRule
from targets.periods import Period
from targets.report_forms import ReportEditor
from tests.factories import TargetFactory
from tests.targets.fixtures_reports import PDF_BYTES

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str):
    return datetime.datetime.fromisoformat(day).replace(hour=9, tzinfo=HCM)


def page_url(report):
    return reverse("targets:report", args=[report.pk])


def form_data(report, **changes) -> dict:
    """What the report page posts when nothing is changed, with `changes` (field name → value) on top."""
    report.refresh_from_db()
    entries = list(report.entries.select_related("target").order_by("position"))
    editor = ReportEditor(report, entries, list(report.areas.order_by("position")))
    data = {"version": report.version}
    for form in editor.forms:
        for name in form.fields:
            if name == "evidence":
                continue
            data[form.add_prefix(name)] = form.loaded_value(name)
            data[form.add_initial_prefix(name)] = form.loaded_value(name)
    return data | changes


class _FormReader(HTMLParser):
    """The values a browser would post back from the report form (inputs, textareas, selects)."""

    def __init__(self):
        super().__init__()
        self.values, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") not in ("file", "submit") and "name" in attrs:
            self.values[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select = attrs["name"]
            self.values.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":  # a browser drops the newline right after <textarea>
            value = self.values[self._textarea]
            self.values[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def posted_back(html: str) -> dict:
    form = html[html.index('id="report-form"') : html.index("</form>", html.index('id="report-form"'))]
    reader = _FormReader()
    reader.feed("<form " + form)
    return {name: value for name, value in reader.values.items() if name != "csrfmiddlewaretoken"}


def entry_key(report, index: int, name: str) -> str:
    return f"entry-{report.entries.order_by('position')[index].pk}-{name}"


# -------------------------------------------------------------------------------------------- the list


def test_the_list_shows_started_periods_with_the_parents_deadlines(
    client, chair, union_a, ward, time_machine
):
    time_machine.move_to(at("2026-05-01"))
    ReportingRule.objects.create(organization=ward, frequency="H", day=10, month_offset=1)
    report = report_services.report_start(organization=union_a, period=Period.parse("2026-Q1"), by=chair)
    client.force_login(chair)
    response = client.get(reverse("targets:report_list", args=[union_a.pk]))
    html = response.content.decode()
    keys = re.findall(r'id="period-(\d{4}-\w+)"', html)
    assert keys == [
        "2026-Y", "2026-Q2", "2026-H1", "2026-Q1",  # started (no 2026-Q3 or H2 yet), the latest end first
        "2025-Q4", "2025-H2", "2025-Y", "2025-Q3", "2025-Q2", "2025-H1", "2025-Q1",
    ]  # fmt: skip
    rows = dict(re.findall(r'id="period-([\w-]+)">(.*?)</tr>', html, re.S))
    assert "15/03/2026" in rows["2026-Q1"] and report.get_absolute_url() in rows["2026-Q1"]
    assert (
        "15/06/2026" in rows["2026-Q2"]
        and reverse("targets:report_start", args=[union_a.pk, "2026-Q2"]) in rows["2026-Q2"]
    )
    assert "10/01/2026" in rows["2025-H2"]  # the ward's own rule: the 10th of the month after
    assert "47" in rows["2026-Q1"]  # 15/03 → 01/05: 47 days overdue, still a draft


def test_the_list_is_for_the_unions_writers(client, treasurer, reviewer, union_a):
    for who, status in ((treasurer, 403), (reviewer, 403)):
        client.force_login(who)
        assert client.get(reverse("targets:report_list", args=[union_a.pk])).status_code == status


# ------------------------------------------------------------------------------------------- starting


def test_a_reminders_link_shows_the_start_page_then_the_report(client, chair, union_a, targets_in_force):
    client.force_login(chair)
    url = reverse("targets:report_start", args=[union_a.pk, "2026-Q1"])
    page = client.get(url)
    assert page.status_code == 200 and 'id="start-report"' in page.content.decode()
    assert not Report.objects.exists()  # a GET starts nothing
    started = client.post(url)
    report = Report.objects.get()
    assert started.status_code == 302 and started.url == page_url(report)
    assert report.entries.count() == 3
    again = client.get(url)
    assert again.status_code == 302 and again.url == page_url(report)
    assert client.post(url).url == page_url(report) and Report.objects.count() == 1


def test_start_refuses_a_future_period_and_unknown_keys(client, chair, union_a, time_machine):
    time_machine.move_to(at("2026-02-10"))
    client.force_login(chair)
    response = client.post(reverse("targets:report_start", args=[union_a.pk, "2026-Q2"]))
    assert response.status_code == 422 and "01/04/2026" in response.content.decode()
    assert not Report.objects.exists()
    assert client.get(reverse("targets:report_start", args=[union_a.pk, "2026-Q5"])).status_code == 404


# ------------------------------------------------------------------------------------------- the page


def test_the_chair_edits_and_saves(client, chair, report_draft):
    client.force_login(chair)
    page = client.get(page_url(report_draft))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="report-form"' in html and "≥ 10 đoàn viên" in html
    data = form_data(
        report_draft,
        **{entry_key(report_draft, 0, "reached"): "12", entry_key(report_draft, 1, "reached"): "95,5",
           entry_key(report_draft, 2, "reached"): "1", entry_key(report_draft, 0, "note"): "Vượt kế hoạch",
           "summary": "Tình hình ổn định."},
    )  # fmt: skip
    response = client.post(page_url(report_draft), data)
    assert response.status_code == 302
    report_draft.refresh_from_db()
    assert report_draft.version == 2 and report_draft.summary == "Tình hình ổn định."
    entries = list(report_draft.entries.order_by("position"))
    assert [e.reached for e in entries] == [Decimal(12), Decimal("95.5"), Decimal(1)]
    assert entries[0].note == "Vượt kế hoạch"
    html = client.get(page_url(report_draft)).content.decode()
    assert html.count("text-bg-success") == 2 and "95,5" in html  # 12 ≥ 10, done; 95,5 % < 100 %


def test_unchanged_fields_are_not_written(client, chair, report_draft):
    client.force_login(chair)
    data = form_data(report_draft, **{entry_key(report_draft, 0, "note"): "Của tôi"})
    ReportEntry.objects.filter(pk=report_draft.entries.order_by("position")[1].pk).update(
        note="Của người khác"
    )
    assert client.post(page_url(report_draft), data).status_code == 302
    assert list(report_draft.entries.order_by("position").values_list("note", flat=True)) == [
        "Của tôi", "Của người khác", "",
    ]  # fmt: skip


def test_a_stale_save_keeps_what_was_typed_on_top_of_the_others_changes(client, chair, report_draft):
    client.force_login(chair)
    mine = form_data(report_draft, **{entry_key(report_draft, 0, "reached"): "7", "summary": "Bản của tôi"})
    other_entry = report_draft.entries.order_by("position")[1]
    report_services.report_update(
        report=report_draft, by=chair, expected_version=1, entries={other_entry.pk: {"reached": Decimal(80)}}
    )
    conflict = client.post(page_url(report_draft), mine)
    html = conflict.content.decode()
    assert conflict.status_code == 409 and 'id="report-conflict"' in html
    assert 'name="version" value="2"' in html and "\nBản của tôi</textarea>" in html
    assert f'name="{entry_key(report_draft, 0, "reached")}" value="7"' in html
    assert f'name="{entry_key(report_draft, 1, "reached")}" value="80"' in html  # theirs, not my stale blank
    report_draft.refresh_from_db()
    assert report_draft.summary == "" and report_draft.entries.order_by("position")[0].reached is None
    # saving again (the page as it came back) applies my changes and keeps theirs
    again = posted_back(html)
    assert again["summary"] == "Bản của tôi" and again["version"] == "2"
    assert client.post(page_url(report_draft), again).status_code == 302
    report_draft.refresh_from_db()
    assert report_draft.summary == "Bản của tôi"
    assert list(report_draft.entries.order_by("position").values_list("reached", flat=True)[:2]) == [7, 80]


def test_bad_input_is_refused_with_everything_typed_still_there(client, chair, report_draft):
    client.force_login(chair)
    data = form_data(
        report_draft,
        **{entry_key(report_draft, 0, "reached"): "mười hai", entry_key(report_draft, 1, "reached"): "-3",
           entry_key(report_draft, 2, "note"): "Ghi chú của tôi", "summary": "Tóm tắt"},
    )  # fmt: skip
    response = client.post(page_url(report_draft), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "mười hai" in html and "Ghi chú của tôi" in html and "Tóm tắt" in html
    assert _("The value reached cannot be negative.") in html
    assert 'name="version" value="1"' in html
    report_draft.refresh_from_db()
    assert report_draft.version == 1 and report_draft.summary == ""


def test_a_post_without_version_is_refused(client, chair, report_draft):
    client.force_login(chair)
    data = form_data(report_draft, summary="x")
    del data["version"]
    assert client.post(page_url(report_draft), data).status_code == 422
    assert Report.objects.get().summary == ""


def test_evidence_is_uploaded_and_downloaded_through_the_policy(
    client, chair, reviewer, other_chair, report_draft
):
    client.force_login(chair)
    key = entry_key(report_draft, 0, "evidence")
    data = form_data(report_draft) | {key: SimpleUploadedFile("Biên bản.pdf", PDF_BYTES)}
    assert client.post(page_url(report_draft), data).status_code == 302
    entry = report_draft.entries.order_by("position")[0]
    url = reverse("targets:report_evidence", args=[report_draft.pk, entry.pk])
    assert url in client.get(page_url(report_draft)).content.decode()
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert "attachment" in download["Content-Disposition"]
    other = report_draft.entries.order_by("position")[1]
    assert client.get(reverse("targets:report_evidence", args=[report_draft.pk, other.pk])).status_code == 404
    for outsider in (other_chair, reviewer):  # the reviewer does not see a draft
        client.force_login(outsider)
        assert client.get(url).status_code == 404


NOT_EVIDENCE = (
    "The file “%(name)s” is not a PDF, JPG, PNG, Word (DOCX) or Excel (XLSX) file, or its content does not "
    "match its name. Choose another file."
)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.png", b"GIF89a not a png", NOT_EVIDENCE),
        ("virus.exe", b"MZ\x90\x00", NOT_EVIDENCE),
        (
            "lon.pdf",
            PDF_BYTES + b"0" * 2048,
            "The file “%(name)s” is %(size)s; a file of evidence may be at most %(limit)s.",
        ),
    ],
)
def test_a_bad_file_gets_a_message_and_nothing_typed_is_lost(
    client, chair, report_draft, settings, name, content, message
):
    settings.REPORT_EVIDENCE_MAX_BYTES = 1024
    client.force_login(chair)
    data = form_data(
        report_draft,
        **{entry_key(report_draft, 0, "reached"): "9", entry_key(report_draft, 1, "note"): "Đã có danh sách",
           entry_key(report_draft, 0, "evidence"): SimpleUploadedFile(name, content)},
    )  # fmt: skip
    response = client.post(page_url(report_draft), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert escape(_(message) % {"name": name, "size": "2 KB", "limit": "1 KB"}) in html
    assert f'name="{entry_key(report_draft, 0, "reached")}" value="9"' in html and "Đã có danh sách" in html
    assert not report_draft.entries.exclude(evidence="").exists() and Report.objects.get().version == 1


def test_who_sees_what(client, chair, treasurer, reviewer, other_chair, report_draft):
    client.force_login(treasurer)  # reads the union's report, may not change it
    page = client.get(page_url(report_draft))
    assert page.status_code == 200 and 'id="report-form"' not in page.content.decode()
    assert client.post(page_url(report_draft), form_data(report_draft, summary="x")).status_code == 403
    client.force_login(reviewer)  # a draft is the union's own business
    assert client.get(page_url(report_draft)).status_code == 404
    assert client.get(reverse("targets:report_pdf", args=[report_draft.pk])).status_code == 404
    client.force_login(other_chair)
    assert client.get(page_url(report_draft)).status_code == 404


# ----------------------------------------------------------------------------------------- the review


def test_submit_then_the_reviewer_returns_then_accepts(client, chair, treasurer, reviewer, report_draft):
    client.force_login(treasurer)
    assert client.post(reverse("targets:report_submit", args=[report_draft.pk])).status_code == 403
    client.force_login(chair)
    assert client.get(reverse("targets:report_submit", args=[report_draft.pk])).status_code == 405
    assert client.post(reverse("targets:report_submit", args=[report_draft.pk])).status_code == 302
    report_draft.refresh_from_db()
    assert report_draft.status == "submitted" and report_draft.reference == "01/BC-CĐMNA"
    page = client.get(page_url(report_draft)).content.decode()
    assert 'id="report-form"' not in page and "01/BC-CĐMNA" in page
    again = client.post(reverse("targets:report_submit", args=[report_draft.pk]))  # a second click
    assert again.status_code == 302
    assert client.post(page_url(report_draft), form_data(report_draft, summary="x")).status_code == 403
    decide = reverse("targets:report_decide", args=[report_draft.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 403  # not one's own report

    client.force_login(reviewer)
    page = client.get(page_url(report_draft)).content.decode()
    assert 'id="decision-heading"' in page and 'id="report-form"' not in page
    assert client.post(decide, {"decision": "return", "note": " "}).status_code == 302
    report_draft.refresh_from_db()
    assert report_draft.status == "submitted"  # a return needs a note
    client.post(decide, {"decision": "return", "note": "Bổ sung minh chứng"})
    report_draft.refresh_from_db()
    assert (report_draft.status, report_draft.return_note) == ("returned", "Bổ sung minh chứng")

    client.force_login(chair)
    page = client.get(page_url(report_draft)).content.decode()
    assert "Bổ sung minh chứng" in page and 'id="report-form"' in page and 'id="history"' in page
    client.post(reverse("targets:report_submit", args=[report_draft.pk]))
    client.force_login(reviewer)
    assert client.post(decide, {"decision": "accept", "note": ""}).status_code == 302
    report_draft.refresh_from_db()
    assert report_draft.status == "accepted"
    assert client.post(decide, {"decision": "accept"}).status_code == 302  # decided already: said so, no 403


def test_the_page_costs_the_same_queries_whatever_the_number_of_targets(
    client, chair, plan_in_force, targets_in_force, union_a, django_assert_num_queries
):
    section = targets_in_force[0].section
    client.force_login(chair)
    report = report_services.report_start(organization=union_a, period=Period.parse("2026-Q1"), by=chair)
    client.get(page_url(report))  # session and role caches warm alike for both runs
    with django_assert_num_queries(10):
        assert client.get(page_url(report)).status_code == 200
    for position in range(10, 40):
        TargetFactory(plan=plan_in_force, section=section, position=position, text=f"Chỉ tiêu {position}")
    bigger = report_services.report_start(organization=union_a, period=Period.parse("2026-Q2"), by=chair)
    assert bigger.entries.count() == 33
    with django_assert_num_queries(10):
        assert client.get(page_url(bigger)).status_code == 200


def test_a_yes_no_target_takes_only_done_or_not_done(client, chair, report_draft):
    """A hand-made post of 7 for a yes/no target is refused with a message, nothing saved."""
    client.force_login(chair)
    entry = report_draft.entries.get(target__kind="yes_no")
    response = client.post(
        page_url(report_draft), form_data(report_draft, **{f"entry-{entry.pk}-reached": "7"})
    )
    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.reached is None
    response = client.post(
        page_url(report_draft), form_data(report_draft, **{f"entry-{entry.pk}-reached": "1"})
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.reached == 1
