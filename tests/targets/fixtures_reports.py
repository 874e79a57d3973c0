"""Fixtures for the reports tests (imported by tests/conftest.py so that the URL guard sees them too).

report_draft      union_a's report for 2026-Q1, started by its chair from targets_in_force
report_submitted  the same, submitted to ward (reviewer)
report_returned   the same, returned by the reviewer with a note
report_evidence_entry  the draft's first entry, with a PDF as evidence
report_period_q1  2026-Q1 as an object whose `pk` is the period key (URL guard arguments are pks)
"""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from targets.periods import Period

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def report_period_q1():
    return SimpleNamespace(pk="2026-Q1")


@pytest.fixture
def report_draft(union_a, chair, targets_in_force):
    from targets import report_services

    return report_services.report_start(organization=union_a, period=Period.parse("2026-Q1"), by=chair)


@pytest.fixture
def report_submitted(report_draft, chair, reviewer):
    from targets import report_services

    return report_services.report_submit(report=report_draft, by=chair)


@pytest.fixture
def report_returned(report_submitted, reviewer):
    from targets import report_services

    return report_services.report_return(report=report_submitted, by=reviewer, note="Bổ sung minh chứng.")


@pytest.fixture
def report_evidence_entry(report_draft):
    entry = report_draft.entries.order_by("position").first()
    entry.evidence.save("danh-sach-ket-nap.pdf", ContentFile(PDF_BYTES), save=True)
    return entry
