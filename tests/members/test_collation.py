"""Names in Vietnamese list order: by given name, in the Vietnamese alphabet, tones last."""

import datetime

from django.urls import reverse

from members.collation import sort_key
from members.models import Member
from tests.factories import MemberFactory


def ordered(*names):
    return sorted(names, key=sort_key)


def test_given_name_first_then_family_and_middle_names():
    assert ordered("Trần Văn Bình", "Nguyễn Thị An", "Lê Thị An") == [
        "Lê Thị An",
        "Nguyễn Thị An",
        "Trần Văn Bình",
    ]


def test_the_vietnamese_alphabet_not_the_code_points():
    # đ after d (not after z), ă and â after a, ơ after ô, ư after u
    assert ordered("Lê Văn Đức", "Lê Văn Dũng", "Lê Văn Xuân") == ["Lê Văn Dũng", "Lê Văn Đức", "Lê Văn Xuân"]
    assert ordered("Lê Thị Ân", "Lê Thị Ăn", "Lê Thị Anh", "Lê Thị An") == [
        "Lê Thị An", "Lê Thị Anh", "Lê Thị Ăn", "Lê Thị Ân",
    ]  # fmt: skip
    assert ordered("Hồ Thị Ưng", "Hồ Thị Uyên", "Hồ Thị Vy") == ["Hồ Thị Uyên", "Hồ Thị Ưng", "Hồ Thị Vy"]


def test_tones_only_decide_between_otherwise_equal_names():
    names = ["Phạm Thị Ma", "Phạm Thị Mà", "Phạm Thị Mả", "Phạm Thị Mã", "Phạm Thị Má", "Phạm Thị Mạ"]
    assert ordered(*reversed(names)) == names


def test_the_given_name_s_tone_comes_before_the_family_name():
    assert ordered("Vũ Thị Ngọc Anh", "Phạm Thị Ánh") == ["Vũ Thị Ngọc Anh", "Phạm Thị Ánh"]


def test_case_spacing_and_composition_do_not_matter():
    assert sort_key("  nguyễn   THỊ  hoa ") == sort_key("Nguyễn Thị Hoa")
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Hoa"
    assert sort_key(decomposed) == sort_key("Nguyễn Thị Hoa")


def test_the_roll_pages_in_that_order(client, chair, union_a):
    for name in ("Đặng Thị Zung", "Đỗ Văn An", "Trần Thị Đào", "Vũ Thị Dung"):
        MemberFactory(organization=union_a, full_name=name, birth_date=datetime.date(1990, 1, 1))
    day = datetime.date(2020, 1, 1)
    Member.objects.bulk_create(
        [Member(organization=union_a, full_name="Lê Thị Ân", sex="female", admitted_on=day, status_since=day)]
    )
    client.force_login(chair)
    page = client.get(reverse("members:member_list", args=[union_a.pk])).context["page"]
    assert [m.full_name for m in page] == [
        "Đỗ Văn An",
        "Lê Thị Ân",
        "Vũ Thị Dung",
        "Trần Thị Đào",
        "Đặng Thị Zung",
    ]


def test_a_renamed_member_moves_in_the_order(union_a):
    member = MemberFactory(organization=union_a, full_name="Lê Thị An")
    member.full_name = "Lê Thị Yến"
    member.save(update_fields=["full_name"])
    member.refresh_from_db()
    assert member.sort_name == sort_key("Lê Thị Yến")
