"""Journeys through the real UI in Chromium, in Vietnamese, on the demo world.

The chair of the kindergarten union (chutich.hoasen) also sits on the ward union's committee, so she
can switch between the two organisations from the navigation bar.
"""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

CHAIR = "chutich.hoasen"
CHAIR_NAME = "Nguyễn Thị Hoa"
KINDERGARTEN = "Công đoàn cơ sở Trường Mầm non tư thục Hoa Sen"
KINDERGARTEN_SHORT = "CĐCS MN Hoa Sen"
WARD = "Công đoàn phường An Lão"
WARD_SHORT = "CĐ phường An Lão"
SKIP_LINK = "Bỏ qua, đến nội dung chính"
LOGIN_PATH = re.compile(r"/accounts/login/(\?.*)?$")
LOGIN_FROM_HOME = re.compile(r"/accounts/login/\?next=(/|%2F)$")


def login_form(page: Page):
    form = page.locator("main form").filter(has=page.get_by_label("Mật khẩu"))
    return (
        form.get_by_label("Tên đăng nhập"),
        form.get_by_label("Mật khẩu"),
        form.get_by_role("button", name="Đăng nhập", exact=True),
    )


def log_in(page: Page, url, password: str, username: str = CHAIR) -> None:
    page.goto(url("/accounts/login/"))
    username_field, password_field, submit = login_form(page)
    username_field.fill(username)
    password_field.fill(password)
    submit.click()


def expect_logged_out(page: Page, url) -> None:
    """On the login page, with no session: asking for the home page sends you back to log in."""
    expect(page).to_have_url(LOGIN_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page.locator("#user-menu")).to_have_count(0)
    page.goto(url("/"))
    expect(page).to_have_url(LOGIN_FROM_HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def switch_to(page: Page, short_name: str) -> None:
    page.locator("#role-switcher").click()
    menu = page.locator('.dropdown-menu[aria-labelledby="role-switcher"]')
    expect(menu).to_be_visible()
    expect(menu.get_by_role("heading", name="Chuyển đơn vị")).to_be_visible()
    menu.locator('button[name="officer"]').filter(has_text=short_name).click()


def log_out(page: Page) -> None:
    page.locator("#user-menu").click()
    logout = page.locator('.dropdown-menu[aria-labelledby="user-menu"]').get_by_role(
        "button", name="Đăng xuất"
    )
    expect(logout).to_be_visible()
    logout.click()


def test_chair_switches_organisation_and_logs_out(page: Page, url, demo, shot):
    page.goto(url("/"))
    expect(page).to_have_url(LOGIN_FROM_HOME)
    expect(page).to_have_title(re.compile("Đăng nhập"))
    shot(page, "login")

    username_field, password_field, submit = login_form(page)
    username_field.fill(CHAIR)
    password_field.fill(demo)
    submit.click()

    heading = page.get_by_role("heading", level=1)
    expect(page).to_have_url(url("/"))
    expect(heading).to_contain_text("Trường Mầm non tư thục Hoa Sen")
    expect(heading).to_have_text(KINDERGARTEN)
    expect(page.locator("#role-switcher")).to_contain_text(f"{KINDERGARTEN_SHORT} · Chủ tịch")
    expect(page.locator("#user-menu")).to_have_text(CHAIR_NAME)
    shot(page, "home-kindergarten")

    switch_to(page, WARD_SHORT)
    expect(page).to_have_url(url("/"))
    expect(heading).to_have_text(WARD)
    message = page.locator("main .alert-success")
    expect(message).to_be_visible()
    expect(message).to_have_text(re.compile(rf"Bạn đang làm việc với vai trò .+ của {WARD_SHORT}\."))
    expect(page.locator("#role-switcher")).to_contain_text(WARD_SHORT)
    expect(page.locator("#children-heading")).to_contain_text("Các công đoàn trực thuộc")
    table = page.locator("main table")
    expect(table).to_contain_text(KINDERGARTEN)
    expect(table).to_contain_text("Công ty TNHH May mặc Minh Anh")  # every union of the ward is listed
    expect(page.locator("#children-heading")).to_contain_text("3 đang hoạt động")
    # a committee member does not review: names, but no links into the unions
    expect(table.get_by_role("link")).to_have_count(0)
    shot(page, "home-ward")

    switch_to(page, KINDERGARTEN_SHORT)
    expect(heading).to_have_text(KINDERGARTEN)
    expect(message).to_have_text(re.compile(rf"Bạn đang làm việc với vai trò .+ của {KINDERGARTEN_SHORT}\."))
    expect(page.locator("#role-switcher")).to_contain_text(KINDERGARTEN_SHORT)
    shot(page, "back-to-kindergarten")

    log_out(page)
    expect(page).to_have_url(LOGIN_PATH)
    shot(page, "logged-out")
    expect_logged_out(page, url)


def test_wrong_password_is_refused_in_vietnamese(page: Page, url, demo, shot):
    page.goto(url("/accounts/login/"))
    username_field, password_field, submit = login_form(page)
    username_field.fill(CHAIR)
    password_field.fill("mat-khau-sai-123")
    shot(page, "filled")
    submit.click()

    error = page.locator("main form .alert-danger")
    expect(error).to_be_visible()
    expect(error).to_have_text(re.compile("Tên đăng nhập hoặc mật khẩu không đúng."))
    expect(error).to_have_attribute("role", "alert")
    expect(page).to_have_url(LOGIN_PATH)
    expect(username_field).to_have_value(CHAIR)
    expect(password_field).to_have_value("")
    shot(page, "error")

    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]
    expect_logged_out(page, url)


def test_phone_layout_menu_and_logout(phone_page: Page, url, demo, shot):
    page = phone_page
    log_in(page, url, demo)

    expect(page.get_by_role("heading", level=1)).to_have_text(KINDERGARTEN)
    toggler = page.get_by_role("button", name="Mở menu")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#user-menu")).to_be_hidden()
    expect(page.locator("#role-switcher")).to_be_hidden()
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll), "the home page scrolls sideways on a phone"
    shot(page, "home-collapsed")

    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#nav-main")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator("#role-switcher")).to_be_visible()
    expect(page.locator("#user-menu")).to_be_visible()
    expect(page.locator("#user-menu")).to_be_in_viewport()
    shot(page, "menu-open")

    log_out(page)
    expect(page).to_have_url(LOGIN_PATH)
    assert page.evaluate(no_sideways_scroll), "the login page scrolls sideways on a phone"
    shot(page, "logged-out")
    expect_logged_out(page, url)


def test_login_with_keyboard_only(page: Page, url, demo, shot):
    """Type, Tab, type, Enter: no mouse. Then the skip link leads past the navigation on the home page."""
    page.goto(url("/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    username_field, password_field, submit = login_form(page)

    page.keyboard.press("Tab")  # the skip link comes first (no autofocus steals it)
    expect(page.get_by_role("link", name=SKIP_LINK)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(username_field).to_be_focused()
    page.keyboard.type(CHAIR)
    page.keyboard.press("Tab")
    expect(password_field).to_be_focused()
    page.keyboard.type(demo)
    shot(page, "filled")
    page.keyboard.press("Enter")

    expect(page).to_have_url(url("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(KINDERGARTEN)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=SKIP_LINK)
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_be_in_viewport()
    shot(page, "skip-link", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Thông tin đơn vị")).to_be_focused()
    shot(page, "past-navigation", full_page=False)
