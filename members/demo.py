"""The demo world for `seed_demo`: a province, a closed district federation, the ward union that
took over its grassroots unions on 1/7/2025, and four grassroots unions with their officers.

The kindergarten (the demo chair's union) also gets a roll of 40 members (`seed_roll`), their children and
spouses, and its internal spending rules. Fourteen members are new this year (13 admitted, 1 re-admitted),
dated so that the roll counts 6 by the end of the quarter before this one (when it is in the same year) and
14 by today: the figures `targets.demo` reports for the kindergarten's "new members" target, which counts
itself from the roll."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from members import services
from members.models import (
    FamilyMember,
    Member,
    MemberEvent,
    Occasion,
    Officer,
    Organization,
    SpendingRule,
    UnionGroup,
    User,
)
from targets.periods import Period

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
    chair = User.objects.get(username="chutich.hoasen")
    seed_roll(orgs["kindergarten"], chair)
    seed_spending_rules(orgs["kindergarten"], chair)
    return accounts


# ---------------------------------------------------------------------------------------------- the roll

G_NURSERY, G_PRESCHOOL, G_OFFICE = "Tổ Nhà trẻ", "Tổ Mẫu giáo", "Tổ Văn phòng - Cấp dưỡng"
TEACHER = "Giáo viên mầm non"
C = Member.Contract
# members on the roll before this year: name, sex, birth date, group, job, position, contract, Party
# membership date (or None), admitted on, union office
ESTABLISHED = [
    ("Nguyễn Thị Hoa", "female", D(1982, 4, 12), G_OFFICE, "Quản lý", "Hiệu trưởng", C.INDEFINITE,
     D(2008, 5, 19), D(2012, 9, 5), "Chủ tịch"),
    ("Lê Thị Thu", "female", D(1986, 8, 3), G_PRESCHOOL, TEACHER, "Tổ trưởng chuyên môn", C.INDEFINITE,
     D(2014, 2, 3), D(2012, 9, 5), "Phó Chủ tịch"),
    ("Trần Thị Lan", "female", D(1988, 11, 20), G_OFFICE, "Kế toán", "Kế toán", C.INDEFINITE, None,
     D(2013, 3, 1), "Ủy viên Ban Chấp hành, kế toán"),
    ("Phạm Thị Hương", "female", D(1984, 1, 25), G_OFFICE, "Quản lý", "Phó Hiệu trưởng", C.INDEFINITE,
     D(2011, 12, 22), D(2012, 9, 5), "Ủy viên Ban Chấp hành"),
    ("Vũ Thị Ngọc Anh", "female", D(1990, 6, 14), G_NURSERY, TEACHER, "Tổ trưởng", C.INDEFINITE, None,
     D(2013, 9, 10), "Tổ trưởng tổ công đoàn"),
    ("Hoàng Thị Mai", "female", D(1991, 2, 8), G_NURSERY, TEACHER, "", C.INDEFINITE, None, D(2014, 9, 8), ""),
    ("Đặng Thị Thanh Hà", "female", D(1989, 9, 30), G_PRESCHOOL, TEACHER, "Tổ trưởng", C.INDEFINITE,
     D(2016, 5, 19), D(2013, 9, 10), "Tổ trưởng tổ công đoàn"),
    ("Bùi Thị Thủy", "female", D(1993, 12, 1), G_PRESCHOOL, TEACHER, "", C.INDEFINITE, None, D(2015, 9, 7),
     ""),
    ("Đỗ Thị Hạnh", "female", D(1987, 3, 17), G_OFFICE, "Nhân viên cấp dưỡng", "Tổ trưởng bếp", C.INDEFINITE,
     None, D(2012, 9, 5), "Tổ trưởng tổ công đoàn"),
    ("Ngô Thị Huyền", "female", D(1994, 7, 22), G_PRESCHOOL, TEACHER, "", C.FIXED, None, D(2016, 9, 5), ""),
    ("Dương Thị Loan", "female", D(1985, 10, 11), G_OFFICE, "Nhân viên cấp dưỡng", "", C.INDEFINITE, None,
     D(2014, 3, 3), ""),
    ("Lý Thị Kim Oanh", "female", D(1992, 5, 5), G_NURSERY, TEACHER, "", C.INDEFINITE, D(2020, 9, 2),
     D(2015, 9, 7), ""),
    ("Trịnh Thị Phương", "female", D(1995, 4, 28), G_PRESCHOOL, TEACHER, "", C.FIXED, None, D(2017, 9, 5),
     ""),
    ("Nguyễn Văn Hùng", "male", D(1979, 8, 19), G_OFFICE, "Bảo vệ", "", C.INDEFINITE, None, D(2013, 3, 1),
     ""),
    ("Phan Thị Yến", "female", D(1996, 1, 9), G_NURSERY, TEACHER, "", C.FIXED, None, D(2018, 9, 5), ""),
    ("Trương Thị Nga", "female", D(1990, 3, 3), G_PRESCHOOL, TEACHER, "", C.INDEFINITE, D(2019, 5, 19),
     D(2014, 9, 8), "Ủy viên Ban Kiểm tra"),
    ("Mai Thị Thơm", "female", D(1983, 6, 6), G_OFFICE, "Nhân viên y tế", "", C.INDEFINITE, None,
     D(2012, 9, 5), ""),
    ("Cao Thị Hồng Nhung", "female", D(1997, 10, 15), G_NURSERY, TEACHER, "", C.FIXED, None, D(2019, 9, 5),
     ""),
    ("Lê Thị Bích Ngọc", "female", D(1992, 12, 24), G_PRESCHOOL, TEACHER, "", C.INDEFINITE, None,
     D(2016, 9, 5), ""),
    ("Hà Thị Xuân", "female", D(1988, 2, 14), G_PRESCHOOL, TEACHER, "", C.INDEFINITE, None, D(2013, 9, 10),
     ""),
    ("Vương Thị Dung", "female", D(1998, 8, 8), G_NURSERY, TEACHER, "", C.FIXED, None, D(2020, 9, 7), ""),
    ("Tạ Thị Minh Châu", "female", D(1994, 5, 30), G_PRESCHOOL, TEACHER, "", C.INDEFINITE, None,
     D(2017, 9, 5), ""),
    ("Nguyễn Thị Quyên", "female", D(1999, 11, 2), G_NURSERY, TEACHER, "", C.FIXED, None, D(2021, 9, 6), ""),
    ("Phạm Văn Tuấn", "male", D(1990, 4, 4), G_OFFICE, "Nhân viên văn phòng", "", C.INDEFINITE, None,
     D(2018, 3, 5), ""),
    # the three whose status changes (below): left, suspended, left last year and re-admitted this year
    ("Đinh Thị Lụa", "female", D(1993, 9, 9), G_PRESCHOOL, TEACHER, "", C.FIXED, None, D(2016, 9, 5), ""),
    ("Hồ Thị Trang", "female", D(1995, 7, 19), G_NURSERY, TEACHER, "", C.FIXED, None, D(2018, 9, 5), ""),
    ("Kiều Thị Vân", "female", D(1991, 1, 21), G_PRESCHOOL, TEACHER, "", C.INDEFINITE, None, D(2015, 9, 7),
     ""),
]  # fmt: skip
LEFT, SUSPENDED, READMITTED = "Đinh Thị Lụa", "Hồ Thị Trang", "Kiều Thị Vân"
# admitted this year, in this order: name, sex, birth date, group, job, contract
NEW = [
    ("Nguyễn Thị Thảo", "female", D(2001, 3, 12), G_NURSERY, TEACHER, C.FIXED),
    ("Trần Thị Diệu Linh", "female", D(2000, 7, 7), G_PRESCHOOL, TEACHER, C.FIXED),
    ("Lê Thị Hồng", "female", D(1998, 10, 20), G_OFFICE, "Nhân viên cấp dưỡng", C.FIXED),
    ("Phạm Thị Ánh", "female", D(2002, 1, 30), G_NURSERY, TEACHER, C.FIXED),
    ("Vũ Thị Khánh Ly", "female", D(2001, 12, 5), G_PRESCHOOL, TEACHER, C.FIXED),
    ("Hoàng Thị Sen", "female", D(1997, 4, 16), G_PRESCHOOL, TEACHER, C.FIXED),
    ("Đỗ Văn Nam", "male", D(1995, 6, 1), G_OFFICE, "Bảo vệ", C.FIXED),
    ("Bùi Thị Hải Yến", "female", D(2002, 9, 23), G_NURSERY, TEACHER, C.FIXED),
    ("Ngô Thị Lệ", "female", D(1999, 2, 2), G_PRESCHOOL, TEACHER, C.FIXED),
    ("Trịnh Thị Hà My", "female", D(2003, 5, 18), G_NURSERY, TEACHER, C.FIXED),
    ("Lương Thị Hiền", "female", D(2000, 11, 11), G_OFFICE, "Nhân viên cấp dưỡng", C.FIXED),
    ("Chu Thị Thanh Tâm", "female", D(2001, 8, 27), G_PRESCHOOL, TEACHER, C.FIXED),
    ("Tô Thị Bảo Ngân", "female", D(2002, 4, 9), G_NURSERY, TEACHER, C.FIXED),
]
# member → [(relation, name, birth date)]: children of all ages (1/6 gifts, study rewards) and spouses
FAMILY = {
    "Nguyễn Thị Hoa": [("spouse", "Trần Văn Quang", D(1980, 2, 2)),
                       ("child", "Trần Minh Khôi", D(2008, 10, 1)),
                       ("child", "Trần Thị Minh Anh", D(2013, 6, 15))],
    "Lê Thị Thu": [("child", "Phạm Gia Bảo", D(2015, 3, 20)), ("child", "Phạm Ngọc Diệp", D(2019, 12, 1))],
    "Trần Thị Lan": [("child", "Nguyễn Hải Đăng", D(2017, 8, 8))],
    "Vũ Thị Ngọc Anh": [("spouse", "Lê Văn Toàn", D(1988, 5, 5)), ("child", "Lê Bảo Ngọc", D(2021, 1, 19))],
    "Đặng Thị Thanh Hà": [("child", "Hoàng Đức Minh", D(2012, 9, 9)),
                          ("child", "Hoàng Thu Trang", D(2016, 4, 4))],
    "Đỗ Thị Hạnh": [("child", "Vũ Thị Phương Thảo", D(2010, 7, 12))],
    "Lý Thị Kim Oanh": [("child", "Đào Minh Châu", D(2023, 11, 30))],
    "Nguyễn Văn Hùng": [("spouse", "Phạm Thị Lý", D(1981, 3, 3)), ("child", "Nguyễn Văn Đức", D(2006, 6, 6)),
                        ("father", "Nguyễn Văn Thành", D(1950, 1, 1)),
                        ("mother", "Lê Thị Tâm", D(1953, 5, 5))],
    "Trương Thị Nga": [("child", "Bùi Anh Thư", D(2018, 2, 28))],
    "Phạm Văn Tuấn": [("child", "Phạm Minh Nhật", D(2024, 5, 1))],
}  # fmt: skip


def _citizen_id(index: int, sex: str, birth: datetime.date) -> str:
    """Hải Phòng's code (031), the sex and century digit, the year of birth, then a demo serial."""
    digit = (0 if birth.year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"031{digit}{birth.year % 100:02d}{880000 + index:06d}"


def _spread(first: datetime.date, last: datetime.date, count: int) -> list[datetime.date]:
    """`count` days evenly between `first` and `last` (both may be used)."""
    span = max(0, (last - first).days)
    return [first + datetime.timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def new_member_days(today: datetime.date) -> list[datetime.date]:
    """The 14 days of this year's admissions: 6 up to the end of the quarter before this one and 8 from the
    start of this one to today (all 14 from 1 January when this is the first quarter)."""
    current = Period.containing(today, "Q")
    january = datetime.date(today.year, 1, 1)
    if current.index == 1:
        return _spread(january, today, 14)
    return _spread(january, current.previous().end, 6) + _spread(current.start, today, 8)


def seed_roll(union: Organization, chair: User) -> None:
    """The kindergarten's 40 members (bulk, as the Excel import saves them), then the status changes through
    the services. Members are found by citizen ID: a second run adds nothing."""
    today = timezone.localdate()
    groups = dict(union.union_groups.values_list("name", "pk"))
    days = new_member_days(today)
    readmitted_on, new_days = days[len(days) // 2], days[: len(days) // 2] + days[len(days) // 2 + 1 :]
    rows = []
    for index, (name, sex, birth, group, job, position, contract, party, admitted, office) in enumerate(
        ESTABLISHED, start=1
    ):
        rows.append(
            dict(full_name=name, sex=sex, birth_date=birth, union_group_id=groups.get(group), job=job,
                 position=position, contract=contract, party_member=party is not None, party_joined_on=party,
                 admitted_on=admitted, union_office=office, citizen_id=_citizen_id(index, sex, birth),
                 admission_decision=f"{index:02d}/QĐ-CĐMNHS", card_number=f"HP{880000 + index}",
                 card_issued_on=admitted, insurance_salary=5_400_000 + 180_000 * (index % 9))
        )  # fmt: skip
    for index, (name, sex, birth, group, job, contract), admitted in zip(
        range(len(ESTABLISHED) + 1, 100), NEW, new_days, strict=False
    ):
        rows.append(
            dict(full_name=name, sex=sex, birth_date=birth, union_group_id=groups.get(group), job=job,
                 contract=contract, admitted_on=admitted, citizen_id=_citizen_id(index, sex, birth),
                 admission_decision=f"{index:02d}/QĐ-CĐMNHS", insurance_salary=5_000_000)
        )  # fmt: skip
    ids = [row["citizen_id"] for row in rows]
    known = set(Member.objects.filter(citizen_id__in=ids).values_list("citizen_id", flat=True))
    rows = [row for row in rows if row["citizen_id"] not in known]
    if not rows:
        return
    members = Member.objects.bulk_create(
        [Member(organization=union, status_since=row["admitted_on"], ethnicity="Kinh", **row) for row in rows]
    )
    MemberEvent.objects.bulk_create(
        MemberEvent(member=m, kind=MemberEvent.Kind.ADMITTED, on=m.admitted_on, organization=union,
                    decision=m.admission_decision, recorded_by=chair)
        for m in members
    )  # fmt: skip
    by_name = {m.full_name: m for m in members}
    family = [
        FamilyMember(member=by_name[name], relation=relation, full_name=full_name, birth_date=birth)
        for name, relatives in FAMILY.items()
        if name in by_name
        for relation, full_name, birth in relatives
    ]
    FamilyMember.objects.bulk_create(family)
    K, last_year = MemberEvent.Kind, today.year - 1
    if LEFT in by_name:
        services.member_change(member=by_name[LEFT], kind=K.LEFT, on=D(last_year, 11, 15), by=chair,
                               reason="Nghỉ việc theo nguyện vọng cá nhân.")  # fmt: skip
    if SUSPENDED in by_name:
        services.member_change(member=by_name[SUSPENDED], kind=K.SUSPENDED, on=D(last_year, 12, 1), by=chair,
                               reason="Nghỉ không lương 12 tháng.")  # fmt: skip
    if READMITTED in by_name:
        member = by_name[READMITTED]
        services.member_change(member=member, kind=K.LEFT, on=D(last_year, 8, 31), by=chair,
                               reason="Nghỉ việc để chăm con nhỏ.")  # fmt: skip
        services.member_readmit(member=member, on=readmitted_on, by=chair, decision="15/QĐ-CĐMNHS",
                                reason="Trở lại làm việc tại trường.")  # fmt: skip


# internal spending rules (quy chế chi tiêu nội bộ) of the kindergarten, in đồng
SPENDING = {
    Occasion.SICKNESS: 500_000,
    Occasion.MATERNITY: 500_000,
    Occasion.WEDDING: 1_000_000,
    Occasion.BEREAVEMENT: 1_000_000,
    Occasion.HARDSHIP: 1_000_000,
    Occasion.TET: 500_000,
    Occasion.WOMEN_8_3: 200_000,
    Occasion.WOMEN_20_10: 200_000,
    Occasion.CHILDREN_1_6: 200_000,
    Occasion.MID_AUTUMN: 100_000,
    Occasion.TEACHERS_20_11: 300_000,
    Occasion.BIRTHDAY: 200_000,
    Occasion.RETIREMENT: 1_000_000,
    Occasion.STUDY_REWARD: 200_000,
}
SPENDING_FROM = D(2025, 1, 2)


def seed_spending_rules(union: Organization, chair: User) -> None:
    have = set(SpendingRule.objects.filter(organization=union, effective_from=SPENDING_FROM).values_list(
        "occasion", flat=True))  # fmt: skip
    SpendingRule.objects.bulk_create(
        SpendingRule(organization=union, occasion=occasion, amount=amount, effective_from=SPENDING_FROM,
                     decision="01/QC-CĐMNHS ngày 02/01/2025", created_by=chair)
        for occasion, amount in SPENDING.items()
        if occasion not in have
    )  # fmt: skip
