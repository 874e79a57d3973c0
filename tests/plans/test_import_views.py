import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import FindingDismissal, Plan, PlanImport
from tests.plans.test_import import HEADER_ONE_PER_LINE


def test_paste_review_correct_and_save(client, chair, union_a):
    client.force_login(chair)
    response = client.post(reverse("plans:import", args=[union_a.pk]), {"text": HEADER_ONE_PER_LINE})
    plan_import = PlanImport.objects.get()
    assert response.url == reverse("plans:import_review", args=[plan_import.pk])
    page = client.get(response.url).content.decode()
    assert "MỤC ĐÍCH, YÊU CẦU" in page and "Đề mục · cấp 1" in page
    index = next(i for i, line in enumerate(plan_import.lines) if line["text"] == "II. NHIỆM VỤ")
    form = {
        "title": "Tên đã sửa",
        "reference": "05/KH-CĐTHSH",
        "dated_on": "12/09/2025",
        f"kind-{index}": "body",
    }
    applied = client.post(response.url, form | {"apply": "1"})
    assert applied.status_code == 200 and not Plan.objects.exists()
    assert 'value="Tên đã sửa"' in applied.content.decode()
    saved = client.post(response.url, form | {"save": "1"})
    plan = Plan.objects.get()
    assert saved.url == reverse("plans:checks", args=[plan.pk])
    assert plan.title == "Tên đã sửa" and plan.number == 5 and plan.created_by == chair
    assert [s.heading for s in plan.sections.all()] == ["MỤC ĐÍCH, YÊU CẦU"]
    assert "II. NHIỆM VỤ" in plan.sections.get().body
    assert client.get(response.url).status_code == 404  # a saved import is done


def test_upload_a_docx(client, chair, union_a):
    import docx

    document = docx.Document()
    for text in ("KẾ HOẠCH", "Hoạt động năm 2026", "I. Mục đích", "Nội dung."):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    client.force_login(chair)
    upload = SimpleUploadedFile("ke-hoach.docx", buffer.getvalue())
    response = client.post(reverse("plans:import", args=[union_a.pk]), {"file": upload})
    assert response.status_code == 302
    assert PlanImport.objects.get().filename == "ke-hoach.docx"


def test_bad_uploads_are_refused_in_vietnamese_and_nothing_is_kept(client, chair, union_a, settings):
    client.force_login(chair)
    url = reverse("plans:import", args=[union_a.pk])
    broken = client.post(url, {"file": SimpleUploadedFile("hong.docx", b"PK\x03\x04 not really a zip")})
    assert broken.status_code == 200 and ".docx" in broken.content.decode()
    image = client.post(url, {"file": SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)})
    assert image.status_code == 200
    settings.PLAN_IMPORT_MAX_BYTES = 1000
    big = client.post(url, {"file": SimpleUploadedFile("dai.txt", "Kế hoạch ".encode() * 500)})
    assert "giới hạn" in big.content.decode()
    empty = client.post(url, {"text": "   "})
    assert "Hãy dán nội dung kế hoạch hoặc chọn một tệp." in empty.content.decode()
    assert not PlanImport.objects.exists()


def test_an_import_is_its_authors_unions_only(client, pending_import, other_chair, reviewer, treasurer):
    url = reverse("plans:import_review", args=[pending_import.pk])
    client.force_login(other_chair)
    assert client.get(url).status_code == 404
    client.force_login(reviewer)
    assert client.get(url).status_code == 404
    client.force_login(treasurer)
    assert client.get(url).status_code == 403


def test_checks_page_and_dismissal(client, chair, written_plan):
    Plan.objects.filter(pk=written_plan.pk).update(recipients="- Công đoàn cấp trên")
    client.force_login(chair)
    url = reverse("plans:checks", args=[written_plan.pk])
    page = client.get(url).content.decode()
    assert "missing_archive_line" in page
    dismiss = reverse("plans:dismiss", args=[written_plan.pk])
    blank = client.post(
        dismiss, {"code": "missing_archive_line", "where": "field:recipients", "reason": " "}, follow=True
    )
    assert not FindingDismissal.objects.exists() and "lý do" in blank.content.decode().lower()
    client.post(
        dismiss, {"code": "missing_archive_line", "where": "field:recipients", "reason": "Lưu ở văn thư"}
    )
    assert FindingDismissal.objects.get().reason == "Lưu ở văn thư"
    page = client.get(url).content.decode()
    assert "1 điểm đã bỏ qua" in page and "Lưu ở văn thư" in page
    stale = client.post(dismiss, {"code": "nothing_like_this", "where": "plan", "reason": "x"}, follow=True)
    assert "không còn đúng nữa" in stale.content.decode()


def test_checks_page_is_constant_in_queries(client, chair, written_plan, django_assert_max_num_queries):
    from plans.models import Section

    client.force_login(chair)
    url = reverse("plans:checks", args=[written_plan.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for index in range(40):
        Section.objects.create(
            plan=written_plan, position=index + 2, heading=f"Mục {index}", body="30/02/2025"
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
