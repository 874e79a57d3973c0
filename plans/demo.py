"""Demo plans for `seed_demo`: one complete school-year or calendar-year plan per grassroots union,
written for this project in the style of real union plans (three levels deep)."""

from __future__ import annotations

import datetime

from members.models import Officer, Organization
from plans.models import Plan, Section

D = datetime.date

SKELETON = [
    (
        "Mục đích, yêu cầu",
        "",
        [
            (
                "Mục đích",
                "Cụ thể hóa nhiệm vụ công đoàn {period} thành các việc làm có người phụ trách, thời hạn và "
                "chỉ tiêu đo được; chăm lo đời sống vật chất, tinh thần của đoàn viên, người lao động.",
                [],
            ),
            (
                "Yêu cầu",
                "- Mỗi tổ công đoàn xây dựng lịch hoạt động theo kế hoạch này.\n"
                "- Báo cáo kết quả với công đoàn cấp trên đúng hạn hằng quý.",
                [],
            ),
        ],
    ),
    (
        "Chỉ tiêu",
        "",
        [
            (
                "Về tổ chức",
                "",
                [
                    (
                        "Phát triển đoàn viên",
                        "- Kết nạp mới ít nhất 05 đoàn viên.\n+ 100% người lao động mới "
                        "được tuyên truyền về quyền lợi khi gia nhập công đoàn.",
                        [],
                    ),
                    (
                        "Xây dựng tổ chức",
                        "Phấn đấu công đoàn cơ sở đạt danh hiệu **Công đoàn cơ sở vững mạnh**.",
                        [],
                    ),
                ],
            ),
            (
                "Về chăm lo đời sống",
                "100% đoàn viên ốm đau, có hoàn cảnh khó khăn được thăm hỏi kịp thời; "
                "tổ chức khám sức khỏe định kỳ cho *toàn thể* đoàn viên.",
                [],
            ),
        ],
    ),
    (
        "Nhiệm vụ, giải pháp",
        "",
        [
            (
                "Công tác tuyên truyền, giáo dục",
                "Phổ biến Điều lệ Công đoàn Việt Nam và các chế độ chính sách mới "
                "đến từng tổ công đoàn; lồng ghép trong các buổi sinh hoạt chuyên môn.",
                [],
            ),
            (
                "Tổ chức phong trào thi đua",
                "",
                [
                    (
                        "Thi đua lao động giỏi",
                        "Phát động thi đua theo từng đợt, gắn với các ngày lễ lớn: 8/3, 30/4 - 1/5, "
                        "20/10 và 20/11.",
                        [],
                    ),
                    (
                        "Hoạt động văn hóa, thể thao",
                        "Tổ chức giải thể thao và hội diễn văn nghệ chào mừng ngày thành lập "
                        "Công đoàn Việt Nam 28/7.",
                        [],
                    ),
                ],
            ),
            (
                "Công tác tài chính công đoàn",
                "Thu đoàn phí đúng quy định, chi đúng quy chế chi tiêu nội bộ và công "
                "khai tài chính tại hội nghị Ban chấp hành.",
                [],
            ),
        ],
    ),
    (
        "Tổ chức thực hiện",
        "- Ban chấp hành phân công ủy viên phụ trách từng nội dung.\n"
        "- Các tổ công đoàn triển khai đến đoàn viên.",
        [],
    ),
]


def _add(plan, items, parent=None):
    for position, (heading, body, children) in enumerate(items, start=1):
        section = Section.objects.create(
            plan=plan,
            parent=parent,
            position=position,
            heading=heading,
            body=body.format(period=plan.period_label),
        )
        _add(plan, children, section)
    if parent is None:
        last = plan.sections.filter(parent=None).order_by("-position").first()
        last.timeline = "Cả năm, báo cáo kết quả hằng quý"
        last.responsible = "Ban chấp hành công đoàn cơ sở"
        last.save(update_fields=["timeline", "responsible"])


def seed_plans() -> int:
    created = 0
    for org in Organization.objects.filter(level=Organization.Level.GRASSROOTS).select_related("parent"):
        if org.plans.exists():
            continue
        school = org.unit_type in {"non_public", "self_financed_public", "state_funded_public"}
        if org.closed_on:
            start, end, label, dated = D(2024, 9, 1), D(2025, 5, 31), "năm học 2024-2025", D(2024, 9, 20)
        elif school:
            start, end, label, dated = D(2025, 9, 1), D(2026, 8, 31), "năm học 2025-2026", D(2025, 9, 18)
        else:
            start, end, label, dated = D(2026, 1, 1), D(2026, 12, 31), "năm 2026", D(2026, 1, 8)
        chair = (
            Officer.objects.filter(organization=org, role=Officer.Role.CHAIR).select_related("user").first()
        )
        upper = org.parent.short_name if org.parent else "Công đoàn cấp trên"
        plan = Plan.objects.create(
            organization=org,
            kind=Plan.Kind.SCHOOL_YEAR if school else Plan.Kind.CALENDAR_YEAR,
            title=f"Hoạt động công đoàn {label}",
            period_start=start,
            period_end=end,
            period_label=label,
            number=12,
            dated_on=dated,
            legal_bases=(
                "Căn cứ Điều lệ Công đoàn Việt Nam khóa XIII\n"
                f"Căn cứ Chương trình công tác năm của {upper}\n"
                f"Thực hiện Nghị quyết Hội nghị Ban chấp hành {org.short_name} mở rộng đầu {label}"
            ),
            preamble=f"Ban chấp hành {org.name} xây dựng Kế hoạch hoạt động {label} như sau:",
            closing=f"Trên đây là Kế hoạch hoạt động công đoàn {label}. Các tổ công đoàn căn cứ kế hoạch "
            "triển khai thực hiện; trong quá trình thực hiện có vướng mắc báo cáo Ban chấp hành "
            "để kịp thời giải quyết.",
            signer_name=chair.user.get_full_name() if chair else "",
            recipients=(
                f"{upper} (để báo cáo)\nChuyên môn đơn vị (để phối hợp)\n"
                "Các tổ công đoàn (để thực hiện)\nLưu: VT, BCH"
            ),
            created_by=chair.user if chair else None,
        )
        _add(plan, SKELETON)
        created += 1
    return created


def seed_review_states() -> list[str]:
    """Moves two demo plans along the review loop (idempotent): the company's plan waits in the ward's
    inbox; the technical school's plan is approved and issued (and signed, when a demo certificate can be
    made: `plans.signing`)."""
    from django.contrib.auth import get_user_model

    from plans import lifecycle

    User = get_user_model()
    done = []
    reviewer = User.objects.filter(username="kiemtra.phuong").first()
    company = Plan.objects.filter(organization__symbol="CĐMMA", status=Plan.Status.DRAFT).first()
    if reviewer and company and not company.versions.exists():
        lifecycle.plan_submit(plan=company, by=company.created_by, note="Kính gửi Công đoàn phường xem xét.")
        done.append(f"submitted: {company.title} ({company.organization.display_name})")
    school = Plan.objects.filter(organization__symbol="CĐTCKT", status=Plan.Status.DRAFT).first()
    if reviewer and school and not school.versions.exists():
        lifecycle.plan_submit(plan=school, by=school.created_by)
        lifecycle.comment_add(
            plan=school, by=reviewer, body="Đề nghị bổ sung chỉ tiêu về an toàn lao động.",
            section=school.sections.filter(parent=None).order_by("position").first(),
        )  # fmt: skip
        lifecycle.plan_approve(plan=school, by=reviewer, note="Đồng ý ban hành.")
        school = lifecycle.plan_issue(plan=school, by=school.created_by)
        done.append(f"issued: {school.reference} ({school.organization.display_name})")
        from members.demo import DEMO_PASSWORD
        from plans import signing

        try:  # signed by the chair, then sealed by the union, with the demo certificates
            signing.plan_sign(
                plan=school,
                by=school.created_by,
                signer_password=DEMO_PASSWORD,
                organization_password=DEMO_PASSWORD,
            )
            done.append(f"signed: {school.reference} (verify: manage.py verify_pdf, or /verify/)")
        except signing.SigningRefused as refused:
            done.append(f"not signed: {refused}")
    return done
