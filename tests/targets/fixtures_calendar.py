"""Fixtures for the calendar tests (imported by tests/conftest.py so that the URL guard sees them too)."""

import pytest

from members.models import Officer
from tests.factories import OfficerFactory, UserFactory


@pytest.fixture
def ward_leader(ward):
    """A leader of ward: like its reviewer, sets the calendar and gets the digest."""
    user = UserFactory(username="ward_leader", full_name="Trần Văn Lãnh")
    OfficerFactory(user=user, organization=ward, role=Officer.Role.LEADER)
    return user
