from django.urls import reverse

from plans.models import Plan


def test_chair_previews_and_downloads_their_plan(client, chair, draft_plan):
    client.force_login(chair)
    html = client.get(reverse("plans:detail", args=[draft_plan.pk])).content.decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Số: 07/KH-CĐMNA" in html
    response = client.get(reverse("plans:pdf", args=[draft_plan.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert draft_plan.title in client.get(reverse("home")).content.decode()


def test_reviewer_sees_a_plan_only_once_submitted(client, reviewer, draft_plan):
    client.force_login(reviewer)
    url = reverse("plans:detail", args=[draft_plan.pk])
    assert client.get(url).status_code == 404
    Plan.objects.filter(pk=draft_plan.pk).update(status=Plan.Status.SUBMITTED)
    assert client.get(url).status_code == 200


def test_plan_views_are_get_only(client, chair, draft_plan):
    client.force_login(chair)
    assert client.post(reverse("plans:detail", args=[draft_plan.pk])).status_code == 405
    assert client.post(reverse("plans:pdf", args=[draft_plan.pk])).status_code == 405
