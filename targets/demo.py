"""Targets and reports for the demo world (`seed_demo`), so that the ward's dashboard shows real numbers.

Everything is dated from `timezone.localdate()` (year Y, the quarter C containing today, its due date D under
the ward's rule, and the quarter P before it when it is in the same year):

- The ward's own plan for year Y, issued, with three targets its unions contribute to:
  new members 106, members visited or helped 150, outstanding members proposed to the Party 10.
- Each of the ward's three grassroots unions gets a plan implementing it for year Y (kind "implementation"),
  beside the demo plans of `plans.demo`: the kindergarten's and the technical school's are issued (through
  the review loop), the company's is approved but not issued, so its targets do not count yet.
- Reports (values are "reached so far", cumulative):

      union          quarter P (if in year Y)    quarter C, today > D         quarter C, today <= D
      kindergarten   accepted, on time           submitted on time            submitted on time (today)
                     14 → 6, 12, 0, 100          14, 31, 1, 100 (3 of 4 met)  same
      school         accepted, 2 days late       submitted 1 day late         draft (not counted)
                     30, 25, 1, 1                73, 48, 2, 1 (2 of 4 met)    same values
      company        —                           nothing: overdue             nothing: due on D

  so that in quarter C past its due date the ward's new members read 14 + 73 = 87 / 106 (visits 79 / 150,
  Party 3 / 10); before it, 14 + 30 = 44 / 106 (56 / 150, 2 / 10). The kindergarten's new members count
  themselves from its roll (`members.demo.seed_roll` dates the admissions to give 6 and 14), so the figures
  above and a report started afresh agree.

Idempotent: rows are found by their natural keys and never changed once made, so a second run the same day
adds nothing.
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from members.models import Officer, Organization, User
from plans.models import Plan, PlanTransition, Section
from targets.dashboard import reporting_rule
from targets.models import Report, ReportEntry, ReportTransition, Target
from targets.periods import Period

WARD = "Công đoàn phường An Lão"
KINDERGARTEN, COMPANY, SCHOOL = "CĐMNHS", "CĐMMA", "CĐTCKT"  # the unions' document symbols

# the ward's targets: key, text, value, unit
WARD_TARGETS = [
    ("members", "Phát triển mới 106 đoàn viên", 106, "đoàn viên"),
    ("visits", "Thăm hỏi, hỗ trợ 150 lượt đoàn viên ốm đau, có hoàn cảnh khó khăn", 150, "lượt"),
    ("party", "Giới thiệu 10 đoàn viên ưu tú cho Đảng xem xét kết nạp", 10, "đoàn viên"),
]

# each union's targets: key (of the ward's target it counts towards, or its own), text, kind, value, unit
UNION_TARGETS = {
    KINDERGARTEN: [
        ("members", "Kết nạp mới 20 đoàn viên", "count", 20, "đoàn viên"),
        ("visits", "Thăm hỏi 30 lượt đoàn viên ốm đau, có hoàn cảnh khó khăn", "count", 30, "lượt"),
        ("party", "Giới thiệu ít nhất 01 đoàn viên ưu tú cho Đảng xem xét kết nạp", "count", 1, "đoàn viên"),
        ("insured", "100% đoàn viên được tham gia bảo hiểm xã hội", "percentage", 100, "%"),
    ],
    SCHOOL: [
        ("members", "Kết nạp mới 60 đoàn viên", "count", 60, "đoàn viên"),
        ("visits", "Thăm hỏi 50 lượt đoàn viên ốm đau, có hoàn cảnh khó khăn", "count", 50, "lượt"),
        ("party", "Giới thiệu 03 đoàn viên ưu tú cho Đảng xem xét kết nạp", "count", 3, "đoàn viên"),
        ("conference", "Tổ chức Hội nghị viên chức, người lao động", "yes_no", 1, ""),
    ],
    COMPANY: [
        ("members", "Kết nạp mới 40 đoàn viên", "count", 40, "đoàn viên"),
        ("visits", "Thăm hỏi 60 lượt đoàn viên ốm đau, có hoàn cảnh khó khăn", "count", 60, "lượt"),
    ],
}

# reached so far, in the order of UNION_TARGETS
EARLIER = {KINDERGARTEN: [6, 12, 0, 100], SCHOOL: [30, 25, 1, 1]}
CURRENT = {KINDERGARTEN: [14, 31, 1, 100], SCHOOL: [73, 48, 2, 1]}

PLAN_BODY = [
    ("Mục đích, yêu cầu", [
        ("Mục đích", "Cụ thể hóa các chỉ tiêu của {upper} năm {year} thành việc làm có người phụ trách, "
                     "thời hạn và kết quả đo được.", []),
        ("Yêu cầu", "- Báo cáo kết quả thực hiện chỉ tiêu với {upper} đúng hạn hằng quý.\n"
                    "- Số liệu báo cáo là số lũy kế từ đầu năm.", []),
    ]),
    ("Chỉ tiêu", [
        ("Về phát triển đoàn viên", "", ["members"]),
        ("Về chăm lo đời sống đoàn viên", "", ["visits", "insured"]),
        ("Về xây dựng Đảng, xây dựng tổ chức", "", ["party", "conference"]),
    ]),
    ("Tổ chức thực hiện", [
        ("Phân công", "Ban chấp hành phân công ủy viên phụ trách từng chỉ tiêu; các tổ công đoàn triển khai "
                      "đến đoàn viên.", []),
    ]),
]  # fmt: skip


def seed_targets() -> list[str]:
    """Adds the year's targets and the quarter's reports to the demo world; returns what was made."""
    ward = Organization.objects.filter(name=WARD).first()
    if ward is None:
        return []
    today = timezone.localdate()
    done: list[str] = []
    with transaction.atomic():
        ward_targets = _ward_plan(ward, today, done)
        union_targets = {}
        for symbol in (KINDERGARTEN, SCHOOL, COMPANY):
            union = ward.children.filter(symbol=symbol).first()
            if union is not None:
                union_targets[symbol] = (union, _union_plan(union, ward, ward_targets, today, done))
    # reports after the plans: a plan issued through the review loop has committed its own changes
    with transaction.atomic():
        _reports(ward, union_targets, today, done)
    return done


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _officer(organization: Organization, role: str) -> User | None:
    officer = (
        Officer.objects.active().filter(organization=organization, role=role).select_related("user").first()
    )
    return officer.user if officer else None


def _sections(plan: Plan, targets: list, upper: str) -> dict[str, Target]:
    """The plan's sections, with each target in the section that names its key."""
    by_key = {item[0]: item for item in targets}
    made = {}
    for position, (heading, children) in enumerate(PLAN_BODY, start=1):
        top = Section.objects.create(plan=plan, position=position, heading=heading)
        for index, (sub_heading, body, keys) in enumerate(children, start=1):
            section = Section.objects.create(
                plan=plan, parent=top, position=index, heading=sub_heading,
                body=body.format(upper=upper, year=plan.period_start.year),
            )  # fmt: skip
            for order, key in enumerate([k for k in keys if k in by_key], start=1):
                made[key] = (section, order, by_key[key])
    return made


def _dated(today: datetime.date, year: int, month: int, day: int) -> datetime.date:
    return min(today, datetime.date(year, month, day))


def _ward_plan(ward: Organization, today: datetime.date, done: list[str]) -> dict[str, Target]:
    year = today.year
    plan = Plan.objects.filter(
        organization=ward, kind=Plan.Kind.CALENDAR_YEAR, period_start=datetime.date(year, 1, 1)
    ).first()
    if plan is None:
        leader = _officer(ward, Officer.Role.LEADER)
        plan = Plan.objects.create(
            organization=ward,
            kind=Plan.Kind.CALENDAR_YEAR,
            title=f"Chương trình công tác công đoàn năm {year}",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            period_label=f"năm {year}",
            number=5,
            dated_on=_dated(today, year, 1, 10),
            legal_bases=(
                "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII\n"
                f"Căn cứ Chương trình công tác năm {year} của Liên đoàn Lao động thành phố Hải Phòng"
            ),
            preamble=f"Ban chấp hành Công đoàn phường An Lão ban hành Chương trình công tác năm {year} với "
            "các chỉ tiêu các công đoàn cơ sở trực thuộc cùng thực hiện như sau:",
            closing="Các công đoàn cơ sở xây dựng kế hoạch thực hiện, báo cáo kết quả hằng quý về Công đoàn "
            "phường.",
            signer_name=leader.get_full_name() if leader else "",
            recipients="LĐLĐ thành phố (để báo cáo)\nCác công đoàn cơ sở trực thuộc (để thực hiện)\nLưu: VT",
            created_by=leader,
        )
        placed = _sections(plan, [(k, t, "count", v, u) for k, t, v, u in WARD_TARGETS], "LĐLĐ thành phố")
        for key, text, value, unit in WARD_TARGETS:
            section, order, _item = placed.get(key, (None, 0, None))
            Target.objects.create(
                plan=plan, section=section, position=order, text=text, kind=Target.Kind.COUNT,
                value=Decimal(value), unit=unit, increase=key == "members",
            )  # fmt: skip
        _issue_directly(plan, leader)
        done.append(f"plan issued: {plan.reference} {plan.title} ({ward.display_name}), 3 targets")
    targets = {t.text: t for t in plan.targets.all()}
    return {key: targets[text] for key, text, _value, _unit in WARD_TARGETS if text in targets}


def _issue_directly(plan: Plan, by: User | None) -> None:
    """The upper union's own plan: issued by its leader (there is no review above it in the demo)."""
    from plans import rendering

    data = rendering.render_pdf(plan)
    plan.issued_pdf.save(f"{plan.reference.replace('/', '-')}-{plan.pk}.pdf", ContentFile(data), save=False)
    plan.issued_sha256 = hashlib.sha256(data).hexdigest()
    plan.issued_at = timezone.now()
    plan.status = Plan.Status.ISSUED
    plan.save(update_fields=["issued_pdf", "issued_sha256", "issued_at", "status"])
    if by is not None:
        PlanTransition.objects.create(plan=plan, from_status=Plan.Status.DRAFT, to_status=Plan.Status.ISSUED,
                                      by=by, note="Ban hành chương trình công tác năm.")  # fmt: skip


def _union_plan(union, ward, ward_targets, today, done) -> list[Target]:
    """The union's plan implementing the ward's programme for the year, moved along the review loop."""
    from plans import lifecycle

    year = today.year
    plan = Plan.objects.filter(
        organization=union, kind=Plan.Kind.IMPLEMENTATION, period_start=datetime.date(year, 1, 1)
    ).first()
    if plan is None:
        chair = _officer(union, Officer.Role.CHAIR)
        reviewer = _user("kiemtra.phuong")
        plan = Plan.objects.create(
            organization=union,
            kind=Plan.Kind.IMPLEMENTATION,
            title=f"Thực hiện Chương trình công tác năm {year} của Công đoàn phường An Lão",
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            period_label=f"năm {year}",
            dated_on=_dated(today, year, 1, 20),
            legal_bases=f"Căn cứ Chương trình công tác công đoàn năm {year} của Công đoàn phường An Lão",
            preamble=f"Ban chấp hành {union.name} xây dựng kế hoạch thực hiện như sau:",
            closing="Trên đây là kế hoạch thực hiện; các tổ công đoàn căn cứ triển khai.",
            signer_name=chair.get_full_name() if chair else "",
            recipients="Công đoàn phường An Lão (để báo cáo)\nCác tổ công đoàn (để thực hiện)\nLưu: VT, BCH",
            created_by=chair,
        )
        placed = _sections(plan, UNION_TARGETS[union.symbol], ward.short_name)
        for key, text, kind, value, unit in UNION_TARGETS[union.symbol]:
            section, order, _item = placed[key]
            Target.objects.create(
                plan=plan, section=section, position=order, text=text, kind=kind, value=Decimal(value),
                unit=unit, increase=key == "members", contributes_to=ward_targets.get(key),
                comparison=Target.Comparison.EXACTLY if kind == "yes_no" else Target.Comparison.AT_LEAST,
                counts_from="admissions" if (union.symbol, key) == (KINDERGARTEN, "members") else "",
            )  # fmt: skip
        if chair and reviewer:
            lifecycle.plan_submit(plan=plan, by=chair, note="Kính gửi Công đoàn phường.")
            lifecycle.plan_approve(plan=plan, by=reviewer, note="Đồng ý.")
            if union.symbol != COMPANY:  # the company has not issued it yet: its targets do not count
                plan = lifecycle.plan_issue(plan=plan, by=chair)
            plan.refresh_from_db()
        done.append(f"plan {plan.status}: {plan.title} ({union.display_name})")
    return list(plan.targets.order_by("position", "pk")) if plan.status == Plan.Status.ISSUED else []


def _at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    """That day at `hour` in Vietnam, but never later than now."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _ordered(union_symbol: str, targets: list[Target]) -> list[Target]:
    by_text = {t.text: t for t in targets}
    return [by_text[text] for _key, text, *_rest in UNION_TARGETS[union_symbol] if text in by_text]


def _reports(ward, union_targets, today, done) -> None:
    current = Period.containing(today, "Q")
    due = reporting_rule(ward, "Q").due_on(current)
    past_due = today > due
    previous = current.previous()
    reviewer = _user("kiemtra.phuong")
    for symbol, (union, targets) in union_targets.items():
        if not targets:
            continue  # no issued plan: nothing to report on (the company)
        targets = _ordered(symbol, targets)
        if previous.year == current.year:
            previous_due = reporting_rule(ward, "Q").due_on(previous)
            sent = (
                previous_due - datetime.timedelta(days=3)
                if symbol == KINDERGARTEN
                else previous_due + (datetime.timedelta(days=2))
            )
            _report(union, previous, targets, EARLIER[symbol], sent, Report.Status.ACCEPTED, reviewer, done)
        if symbol == KINDERGARTEN:
            sent = due - datetime.timedelta(days=2) if past_due else today
            _report(union, current, targets, CURRENT[symbol], sent, Report.Status.SUBMITTED, reviewer, done)
        elif past_due:
            sent = due + datetime.timedelta(days=1)
            _report(union, current, targets, CURRENT[symbol], sent, Report.Status.SUBMITTED, reviewer, done)
        else:
            _report(union, current, targets, CURRENT[symbol], None, Report.Status.DRAFT, reviewer, done)


def _report(union, period, targets, values, sent_on, status, reviewer, done) -> None:
    if Report.objects.filter(organization=union, period=period.key).exists():
        return
    chair = _officer(union, Officer.Role.CHAIR)
    report = Report.objects.create(
        organization=union,
        period=period.key,
        status=status,
        title=f"Kết quả thực hiện chỉ tiêu {period.label}",
        number=period.index if sent_on else None,
        place=union.locality,
        dated_on=sent_on,
        summary="Ban chấp hành triển khai kế hoạch đến các tổ công đoàn; số liệu lũy kế từ đầu năm.",
        signer_name=chair.get_full_name() if chair else "",
        recipients="Công đoàn phường An Lão (để báo cáo)\nLưu: VT, BCH",
        submitted_at=_at(sent_on) if sent_on else None,
        decided_at=_at(sent_on + datetime.timedelta(days=3)) if status == Report.Status.ACCEPTED else None,
        created_by=chair,
    )
    for position, (target, reached) in enumerate(zip(targets, values, strict=False), start=1):
        ReportEntry.objects.create(report=report, target=target, position=position, reached=Decimal(reached))
    if sent_on and chair:
        ReportTransition.objects.create(
            report=report, from_status=Report.Status.DRAFT, to_status=Report.Status.SUBMITTED, by=chair
        )
    if status == Report.Status.ACCEPTED and reviewer:
        ReportTransition.objects.create(
            report=report, from_status=Report.Status.SUBMITTED, to_status=Report.Status.ACCEPTED, by=reviewer
        )
    done.append(f"report {period.key} {report.status}: {union.display_name}")
