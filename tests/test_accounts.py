import re

from django.core import mail
from django.urls import reverse

from members.models import User


def test_login_page_is_in_vietnamese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html


def test_login_and_logout(client, chair):
    response = client.post(reverse("login"), {"username": "chair", "password": "Mật-khẩu-thử-2025"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_a_vietnamese_error(client, chair):
    response = client.post(reverse("login"), {"username": "chair", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_repeated_failures_lock_the_account_for_a_while(client, chair, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "chair", "password": "sai"})
    response = client.post(reverse("login"), {"username": "chair", "password": "Mật-khẩu-thử-2025"})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_password_change_enforces_strong_passwords(client, chair):
    client.force_login(chair)
    url = reverse("password_change")
    weak = client.post(
        url, {"old_password": "Mật-khẩu-thử-2025", "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200
    assert "quá ngắn" in weak.content.decode() or "quá phổ biến" in weak.content.decode()
    strong = "Hoa-sen-nở-muộn-2026"
    done = client.post(
        url, {"old_password": "Mật-khẩu-thử-2025", "new_password1": strong, "new_password2": strong}
    )
    assert done.status_code == 302
    assert User.objects.get(username="chair").check_password(strong)


def test_password_reset_by_email(client, chair):
    response = client.post(reverse("password_reset"), {"email": chair.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Đặt lại mật khẩu Kế hoạch Công đoàn"
    assert "Tên đăng nhập của bạn là chair." in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Chọn mật khẩu mới" in form_page.content.decode()
    new = "Trống-đồng-Đông-Sơn-1"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert User.objects.get(username="chair").check_password(new)


def test_reset_for_unknown_address_sends_nothing_but_says_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "ai-do@example.org"}, follow=True)
    assert "Hãy kiểm tra hộp thư" in response.content.decode()
    assert mail.outbox == []
