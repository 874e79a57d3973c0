import datetime

from django.urls import reverse

from members.models import OrganizationMove
from tests.factories import UserFactory


def test_changing_the_upper_union_in_the_admin_records_the_move(client, union_a, ward, other_ward):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:members_organization_change", args=[union_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        parent=other_ward.pk,
        founded_on="01/01/2010",
        **{
            f"{prefix}-{key}": value
            for prefix in ("officers", "union_groups", "moves")
            for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
        },
    )
    data["union_groups-TOTAL_FORMS"] = data["union_groups-INITIAL_FORMS"] = 0
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    union_a.refresh_from_db()
    assert union_a.parent == other_ward
    move = OrganizationMove.objects.get(organization=union_a)
    assert (move.from_parent, move.to_parent, move.recorded_by) == (ward, other_ward, admin)
    assert move.moved_on <= datetime.date.today() + datetime.timedelta(days=1)
