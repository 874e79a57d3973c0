"""The national rules are edited in the admin by system administrators (superusers) alone."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from finance.models import Rule
from tests.factories import UserFactory


@pytest.fixture
def staff_with_every_finance_permission(db):
    user = UserFactory(username="nhanvien", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="finance"))
    return user


def test_staff_without_superuser_cannot_see_or_change_the_rules(client, staff_with_every_finance_permission):
    client.force_login(staff_with_every_finance_permission)
    assert client.get(reverse("admin:finance_rule_changelist")).status_code == 403
    rule = Rule.objects.first()
    assert client.get(reverse("admin:finance_rule_change", args=[rule.pk])).status_code == 403
    assert client.post(reverse("admin:finance_rule_add"), {"kind": "dues_rate"}).status_code == 403


def test_a_superuser_edits_the_rules_with_the_overlap_check(admin_client):
    assert admin_client.get(reverse("admin:finance_rule_changelist")).status_code == 200
    response = admin_client.post(
        reverse("admin:finance_rule_add"),
        {
            "kind": "dues_rate",
            "unit_type": "",
            "value": "0.7",
            "effective_from": "2026-01-01",
            "decision": "Thử",
        },
    )
    assert response.status_code == 200  # the form again: it overlaps the 0,5 % rule from 01/07/2025
    assert not Rule.objects.filter(value="0.7").exists()
    assert "01/07/2025" in response.content.decode()
