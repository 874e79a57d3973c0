import datetime

import factory

from members.models import Officer, Organization, UnionGroup, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("Mật-khẩu-thử-2025")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Công đoàn cơ sở Đơn vị {n}")
    symbol = factory.Sequence(lambda n: f"CĐDV{n}")
    level = Organization.Level.GRASSROOTS
    unit_type = Organization.UnitType.ENTERPRISE
    locality = "An Lão"
    founded_on = datetime.date(2010, 1, 1)
    parent = factory.LazyAttribute(
        lambda o: None if o.level == Organization.Level.NATIONAL else NationalFactory()
    )


def NationalFactory():  # noqa: N802 - reads like a factory at the call site
    return Organization.objects.get_or_create(
        level=Organization.Level.NATIONAL,
        defaults={"name": "Tổng Liên đoàn Lao động Việt Nam", "symbol": "TLĐ", "parent": None},
    )[0]


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Officer.Role.CHAIR
    start_on = datetime.date(2023, 1, 1)


class UnionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnionGroup

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Tổ {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.Plan"

    organization = factory.SubFactory(OrganizationFactory)
    title = "Hoạt động công đoàn năm học 2025-2026"
    period_start = datetime.date(2025, 9, 1)
    period_end = datetime.date(2026, 8, 31)
    period_label = "năm học 2025-2026"
    number = 7
    dated_on = datetime.date(2025, 9, 5)
    legal_bases = "Căn cứ Điều lệ Công đoàn Việt Nam\nCăn cứ hướng dẫn của công đoàn cấp trên;"
    preamble = "Ban chấp hành xây dựng kế hoạch như sau:"
    closing = "Trên đây là kế hoạch hoạt động năm học 2025-2026."
    signer_name = "Nguyễn Thị Hoa"
    recipients = "- Công đoàn cấp trên;\n- Lưu: VT, BCH"


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "targets.Target"

    plan = factory.SubFactory(PlanFactory)
    text = "Kết nạp mới 10 đoàn viên"
    kind = "count"
    comparison = "at_least"
    value = 10
    unit = "đoàn viên"
    increase = True


class MemberFactory(factory.django.DjangoModelFactory):
    """A member on a roll without an admission event: for tests that need rows, not history
    (history comes from `members.services.member_admit`)."""

    class Meta:
        model = "members.Member"

    organization = factory.SubFactory(OrganizationFactory)
    full_name = factory.Sequence(lambda n: f"Đoàn viên {n}")
    sex = "female"
    birth_date = datetime.date(1990, 1, 1)
    admitted_on = datetime.date(2015, 9, 1)
    status_since = factory.SelfAttribute("admitted_on")


class FamilyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members.FamilyMember"

    member = factory.SubFactory(MemberFactory)
    relation = "child"
    full_name = factory.Sequence(lambda n: f"Con {n}")
    birth_date = datetime.date(2018, 6, 1)
