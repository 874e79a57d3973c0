"""The demo world for `seed_demo`: a province, a closed district federation, the ward union that
took over its grassroots unions on 1/7/2025, and four grassroots unions with their officers."""

from __future__ import annotations

import datetime

from django.db import transaction

from members import services
from members.models import Officer, Organization, UnionGroup, User

DEMO_PASSWORD = "CongDoan@2025"
REFORM_DAY = datetime.date(2025, 7, 1)
D = datetime.date
L = Organization.Level
U = Organization.UnitType
R = Officer.Role

ORGANIZATIONS = [
    # key, parent key, fields
    (
        "national",
        None,
        dict(
            name="Tổng Liên đoàn Lao động Việt Nam",
            short_name="Tổng LĐLĐVN",
            symbol="TLĐ",
            level=L.NATIONAL,
            unit_type=U.UNION_BODY,
            locality="Hà Nội",
            founded_on=D(1929, 7, 28),
        ),
    ),
    (
        "province",
        "national",
        dict(
            name="Liên đoàn Lao động thành phố Hải Phòng",
            short_name="LĐLĐ Hải Phòng",
            symbol="LĐLĐ",
            level=L.PROVINCE,
            unit_type=U.UNION_BODY,
            locality="Hải Phòng",
            governing_body_line="TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
            email="lienhe@ldld-haiphong.example",
            founded_on=D(1946, 10, 1),
        ),
    ),
    (
        "district",
        "province",
        dict(
            name="Liên đoàn Lao động huyện An Lão",
            short_name="LĐLĐ An Lão",
            symbol="LĐLĐ",
            level=L.UPPER_GRASSROOTS,
            unit_type=U.UNION_BODY,
            locality="An Lão",
            governing_body_line="LĐLĐ THÀNH PHỐ HẢI PHÒNG",
            founded_on=D(1976, 5, 1),
            closed_on=D(2025, 6, 30),
        ),
    ),
    (
        "ward",
        "province",
        dict(
            name="Công đoàn phường An Lão",
            short_name="CĐ phường An Lão",
            symbol="CĐP",
            level=L.UPPER_GRASSROOTS,
            unit_type=U.UNION_BODY,
            locality="An Lão",
            governing_body_line="LĐLĐ THÀNH PHỐ HẢI PHÒNG",
            email="congdoan@phuonganlao.example",
            founded_on=REFORM_DAY,
        ),
    ),
    (
        "kindergarten",
        "district",
        dict(
            name="Công đoàn cơ sở Trường Mầm non tư thục Hoa Sen",
            short_name="CĐCS MN Hoa Sen",
            symbol="CĐMNHS",
            level=L.GRASSROOTS,
            unit_type=U.NON_PUBLIC,
            locality="Trường Thọ",
            governing_body_line="CÔNG ĐOÀN PHƯỜNG AN LÃO",
            email="congdoan@mnhoasen.example",
            founded_on=D(2012, 9, 5),
        ),
    ),
    (
        "company",
        "district",
        dict(
            name="Công đoàn cơ sở Công ty TNHH May mặc Minh Anh",
            short_name="CĐCS Cty May Minh Anh",
            symbol="CĐMMA",
            level=L.GRASSROOTS,
            unit_type=U.ENTERPRISE,
            locality="An Lão",
            governing_body_line="CÔNG ĐOÀN PHƯỜNG AN LÃO",
            founded_on=D(2016, 3, 8),
        ),
    ),
    (
        "school",
        "district",
        dict(
            name="Công đoàn cơ sở Trường Trung cấp Kỹ thuật An Lão",
            short_name="CĐCS TC Kỹ thuật An Lão",
            symbol="CĐTCKT",
            level=L.GRASSROOTS,
            unit_type=U.SELF_FINANCED_PUBLIC,
            locality="An Lão",
            governing_body_line="CÔNG ĐOÀN PHƯỜNG AN LÃO",
            founded_on=D(2005, 9, 1),
        ),
    ),
    (
        "dissolved",
        "district",
        dict(
            name="Công đoàn cơ sở Trường Tiểu học Trường Thọ",
            short_name="CĐCS TH Trường Thọ",
            symbol="CĐTHTT",
            level=L.GRASSROOTS,
            unit_type=U.STATE_FUNDED_PUBLIC,
            locality="Trường Thọ",
            governing_body_line="LĐLĐ HUYỆN AN LÃO",
            founded_on=D(1998, 9, 1),
            closed_on=D(2025, 5, 31),
        ),
    ),
]

MOVED_TO_WARD = ["kindergarten", "company", "school"]

USERS = [
    # username, full name, email, [(organisation key, role, title, start, end)]
    (
        "chutich.hoasen",
        "Nguyễn Thị Hoa",
        "hoa@mnhoasen.example",
        [
            ("kindergarten", R.CHAIR, "CHỦ TỊCH", D(2023, 3, 1), None),
            ("ward", R.COMMITTEE_MEMBER, "ỦY VIÊN BCH", REFORM_DAY, None),
        ],
    ),
    (
        "ketoan.hoasen",
        "Trần Thị Lan",
        "lan@mnhoasen.example",
        [("kindergarten", R.TREASURER, "KẾ TOÁN", D(2023, 3, 1), None)],
    ),
    (
        "phochutich.hoasen",
        "Lê Thị Thu",
        "thu@mnhoasen.example",
        [("kindergarten", R.VICE_CHAIR, "PHÓ CHỦ TỊCH", D(2023, 3, 1), None)],
    ),
    (
        "chutich.minhanh",
        "Phạm Văn Dũng",
        "dung@mayminhanh.example",
        [("company", R.CHAIR, "CHỦ TỊCH", D(2023, 6, 1), None)],
    ),
    (
        "chutich.kythuat",
        "Vũ Minh Tuấn",
        "tuan@tckt-anlao.example",
        [("school", R.CHAIR, "CHỦ TỊCH", D(2023, 4, 1), None)],
    ),
    (
        "chutich.truongtho",
        "Đỗ Thị Mai",
        "mai@thtruongtho.example",
        [("dissolved", R.CHAIR, "CHỦ TỊCH", D(2023, 3, 1), D(2025, 5, 31))],
    ),
    (
        "kiemtra.phuong",
        "Hoàng Văn Nam",
        "nam@phuonganlao.example",
        [("ward", R.REVIEWER, "CHUYÊN VIÊN", REFORM_DAY, None)],
    ),
    (
        "lanhdao.phuong",
        "Bùi Thị Hằng",
        "hang@phuonganlao.example",
        [("ward", R.LEADER, "CHỦ TỊCH", REFORM_DAY, None)],
    ),
    (
        "lanhdao.huyen",
        "Ngô Văn Bình",
        "binh@ldld-anlao.example",
        [("district", R.LEADER, "CHỦ TỊCH", D(2023, 7, 1), D(2025, 6, 30))],
    ),
    (
        "lanhdao.tinh",
        "Trịnh Quốc Khánh",
        "khanh@ldld-haiphong.example",
        [("province", R.LEADER, "CHỦ TỊCH", D(2023, 8, 1), None)],
    ),
]

GROUPS = {
    "kindergarten": ["Tổ Nhà trẻ", "Tổ Mẫu giáo", "Tổ Văn phòng - Cấp dưỡng"],
    "company": ["Tổ Cắt", "Tổ May 1", "Tổ May 2", "Tổ Hoàn thiện", "Tổ Văn phòng"],
    "school": ["Tổ Cơ khí", "Tổ Điện - Điện tử", "Tổ Hành chính"],
    "dissolved": ["Tổ Khối 1-2", "Tổ Khối 3-5"],
}


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Build (or complete) the demo world; running it again changes nothing. Returns the accounts."""
    orgs: dict[str, Organization] = {}
    for key, parent_key, fields in ORGANIZATIONS:
        parent = orgs.get(parent_key)
        org = Organization.objects.filter(name=fields["name"]).first()
        if org is None:
            org = Organization.objects.create(parent=parent, **fields)
        orgs[key] = org
    for key in MOVED_TO_WARD:
        org = orgs[key]
        if not org.moves.exists():
            services.organization_move(
                organization=org,
                new_parent=orgs["ward"],
                on=REFORM_DAY,
                decision="Quyết định 01/QĐ-LĐLĐ ngày 27/6/2025",
                note="Sắp xếp tổ chức công đoàn khi không tổ chức cấp huyện.",
            )
    for key, names in GROUPS.items():
        for position, name in enumerate(names, start=1):
            UnionGroup.objects.get_or_create(
                organization=orgs[key], name=name, defaults={"position": position}
            )

    accounts = []
    for username, full_name, email, roles in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name, "email": email}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for org_key, role, title, start, end in roles:
            Officer.objects.get_or_create(
                user=user,
                organization=orgs[org_key],
                role=role,
                defaults={"title": title, "start_on": start, "end_on": end},
            )
        accounts.append(
            (username, full_name, ", ".join(f"{r[1].label} – {orgs[r[0]].display_name}" for r in roles))
        )

    admin, created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "Quản trị hệ thống", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    accounts.append(("admin", admin.full_name, "Quản trị viên"))
    return accounts
