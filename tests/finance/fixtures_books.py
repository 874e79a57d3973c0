"""Fixtures of this area (imported by tests/conftest.py): union A's books with one receipt carrying its
original document, a self-raised fund, and a member on the roll."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def books_ledger(union_a):
    from finance.ledgers import official_ledger

    return official_ledger(union_a)


@pytest.fixture
def books_fund(union_a):
    from finance.models import Ledger

    return Ledger.objects.create(
        organization=union_a, kind=Ledger.Kind.FUND, name="Quỹ xã hội", opened_on=union_a.founded_on
    )


@pytest.fixture
def books_member(union_a):
    from tests.factories import MemberFactory

    return MemberFactory(
        organization=union_a,
        full_name="Trần Thị Lan",
        insurance_salary=8_000_000,
        union_group=union_a.union_groups.first(),
    )


@pytest.fixture
def books_entry(books_ledger, treasurer, books_member):
    """A receipt of today from a member, with its original document."""
    from finance.ledgers import entry_post

    return entry_post(
        ledger=books_ledger,
        direction="income",
        category="donations",
        on=timezone.localdate(),
        amount=1_500_000,
        description="Ủng hộ quỹ công đoàn",
        by=treasurer,
        member=books_member,
        attachment=ContentFile(PDF_BYTES, name="bien-nhan.pdf"),
    )


@pytest.fixture
def books_exemption(books_member):
    """The member owes no dues for this month and the next (social-insurance benefits)."""
    import datetime

    from finance.models import DuesExemption

    month = timezone.localdate().replace(day=1)
    after = (month + datetime.timedelta(days=32)).replace(day=1)
    return DuesExemption.objects.create(member=books_member, start=month, end=after, reason="benefits")
