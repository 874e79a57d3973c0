"""Every URL of the project, tried as the right person, an outsider (404) and the wrong role (403).

The guard test fails when a URL name is added without an entry here, so no view escapes the policy.
Django's admin is left to Django (staff only), checked once at the end.
"""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import Officer
from tests.urlspec import Spec


def own_officer(user):
    return {"officer": Officer.objects.get(user=user).pk}


def new_plan(user):
    return {"start": "skeleton", "kind": "school_year", "title": "Kế hoạch mới", "period_start": "01/09/2026",
            "period_end": "31/08/2027"}  # fmt: skip


def version(user):
    return {"version": 1}


def pasted_plan(user):
    return {"text": "KẾ HOẠCH\nHoạt động năm 2026\nI. Mục đích\nNội dung."}


def dismissal(user):
    return {"code": "missing_archive_line", "where": "field:recipients", "reason": "Đã lưu ở văn thư"}


def comment_text(user):
    return {"body": "Cần bổ sung chỉ tiêu."}


def approve(user):
    return {"decision": "approve", "note": ""}


def move_down(user):
    return {"version": 1, "direction": "down"}


def section_text(user):
    return {"version": 1, "heading": "Mục đích", "body": "Nội dung mới."}


URLS = {
    "home": Spec("login"),
    "healthz": Spec("public"),
    "login": Spec("public"),
    "logout": Spec("public", method="post", ok=302),
    "password_change": Spec("login"),
    "password_change_done": Spec("login"),
    "password_reset": Spec("public"),
    "password_reset_done": Spec("public"),
    "password_reset_confirm": Spec("public", kwargs={"uidb64": "MQ", "token": "set-password"}, ok=200),
    "password_reset_complete": Spec("public"),
    "members:switch": Spec("scoped", method="post", data="own_officer", ok=302),
    "members:organization_detail": Spec("scoped", args=("union_a",)),
    "members:organization_edit": Spec("scoped", args=("union_a",), wrong_role="treasurer"),
    "members:uniongroup_create": Spec("scoped", args=("union_a",), wrong_role="treasurer"),
    # the roll: personal data for the union's own officers (the treasurer too); the union above gets 403
    "members:member_list": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "members:member_template": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "members:member_import": Spec("scoped", method="post", args=("union_a",), ok=422, wrong_role="treasurer"),
    # Viewing a plan: every officer of its union may (no wrong role); a reviewer above sees it only once
    # submitted (tests/plans/test_views.py).
    "plans:detail": Spec("scoped", args=("draft_plan",)),
    "plans:preview": Spec("scoped", args=("draft_plan",)),
    "plans:pdf": Spec("scoped", args=("written_plan",), ok=302),  # not made yet: to the plan page
    "plans:docx": Spec("scoped", args=("draft_plan",)),
    "plans:render": Spec("scoped", method="post", args=("written_plan",), ok=302),
    "plans:render_status": Spec("scoped", args=("draft_plan",)),
    # Writing: the union's committee, while the plan is a draft or returned for revision (a returned plan
    # here, so that the reviewer above can see it and is refused the change with 403).
    "plans:create": Spec(
        "scoped", method="post", args=("union_a",), data="new_plan", ok=302, wrong_role="treasurer"
    ),
    "plans:edit": Spec("scoped", args=("returned_plan",), wrong_role="treasurer"),
    "plans:header": Spec(
        "scoped", method="post", args=("returned_plan",), data="version", ok=422, wrong_role="treasurer"
    ),  # fmt: skip
    "plans:section_add": Spec(
        "scoped", method="post", args=("returned_plan",), data="version", wrong_role="treasurer"
    ),  # fmt: skip
    "plans:section_edit": Spec(
        "scoped",
        method="post",
        args=("returned_plan", "returned_section"),
        data="section_text",
        wrong_role="treasurer",
    ),  # fmt: skip
    "plans:section_move": Spec(
        "scoped",
        method="post",
        args=("returned_plan", "returned_section"),
        data="move_down",
        ok=422,
        wrong_role="treasurer",
    ),  # fmt: skip
    "plans:checks": Spec("scoped", args=("written_plan",)),
    "plans:dismiss": Spec(
        "scoped", method="post", args=("returned_plan",), data="dismissal", ok=302, wrong_role="treasurer"
    ),  # fmt: skip
    "plans:import": Spec(
        "scoped", method="post", args=("union_a",), data="pasted_plan", ok=302, wrong_role="treasurer"
    ),  # fmt: skip
    # an import belongs to its union's committee: the upper reviewer does not see it at all (404)
    "plans:import_review": Spec("scoped", args=("pending_import",)),
    # The review loop: the union's chair or vice chair submits and issues (the treasurer may not); the
    # reviewer above comments and decides (refusals by role: tests/plans/test_lifecycle.py).
    "plans:submit": Spec("scoped", method="post", args=("revisable_plan",), ok=302, wrong_role="treasurer"),
    "plans:review": Spec("scoped", args=("submitted_plan",), allowed="reviewer"),
    "plans:comment": Spec(
        "scoped", method="post", args=("submitted_plan",), data="comment_text", ok=302, allowed="reviewer"
    ),  # fmt: skip
    "plans:resolve": Spec("scoped", method="post", args=("submitted_plan", "review_comment"), ok=302),
    "plans:decide": Spec(
        "scoped", method="post", args=("submitted_plan",), data="approve", ok=302, allowed="reviewer"
    ),  # fmt: skip
    "plans:issue": Spec("scoped", method="post", args=("approved_plan",), ok=302, wrong_role="treasurer"),
    "plans:new_version": Spec("scoped", method="post", args=("issued_plan",), ok=302, wrong_role="treasurer"),
    "plans:versions": Spec("scoped", args=("submitted_plan",)),
    "plans:issued_pdf": Spec("scoped", args=("issued_plan",)),
    "plans:signed_pdf": Spec("scoped", args=("issued_plan",), ok=404),  # not signed: nothing to give
    "plans:sign": Spec("scoped", args=("issued_plan",), wrong_role="treasurer"),
    "verify": Spec("public"),
    "plans:inbox": Spec("login", allowed="reviewer"),
    "plans:not_submitted_xlsx": Spec("login", allowed="reviewer", query="?kind=school_year&year=2025"),
    "plans:notifications": Spec("login"),
    "plans:section_delete": Spec(
        "scoped",
        method="post",
        args=("returned_plan", "returned_section"),
        data="version",
        wrong_role="treasurer",
    ),  # fmt: skip
}


# The targets app's URLs, listed beside their tests (one module per area).
for _module in ("editor", "reports", "calendar", "dashboard"):
    URLS |= importlib.import_module(f"tests.targets.urls_{_module}").URLS
# The members app's areas likewise.
for _module in ("people", "welfare", "reports"):
    URLS |= importlib.import_module(f"tests.members.urls_{_module}").URLS
for _module in ("books", "budget"):
    URLS |= importlib.import_module(f"tests.finance.urls_{_module}").URLS


def _data(spec, user):
    """POST data for `spec`: a function named here, or a callable given in the Spec."""
    if not spec.data:
        return {}
    return (spec.data if callable(spec.data) else globals()[spec.data])(user)


def all_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                continue
            names |= all_url_names(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_name_is_listed():
    assert all_url_names() == set(URLS), "add the new URL to URLS with who may use it"


def _request(client, name, spec, request, as_user):
    args = [request.getfixturevalue(fixture).pk for fixture in spec.args]
    url = reverse(name, args=args or None, kwargs=spec.kwargs or None) + spec.query
    data = _data(spec, as_user) if as_user is not None else {}
    return getattr(client, spec.method)(url, data)


@pytest.mark.parametrize("name", sorted(URLS))
def test_allowed_person_gets_the_page(db, client, request, name):
    spec = URLS[name]
    user = None if spec.kind == "public" else request.getfixturevalue(spec.allowed)
    if user is not None:
        client.force_login(user)
    assert _request(client, name, spec, request, user).status_code == spec.ok


@pytest.mark.parametrize("name", sorted(n for n, s in URLS.items() if s.kind != "public"))
def test_anonymous_is_sent_to_login(db, client, request, name):
    spec = URLS[name]
    if spec.args:
        request.getfixturevalue(spec.allowed)
    response = _request(client, name, spec, request, None)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(n for n, s in URLS.items() if s.kind == "scoped"))
def test_outsider_gets_404(client, request, name):
    spec = URLS[name]
    owner = request.getfixturevalue(spec.allowed)
    outsider = request.getfixturevalue(spec.outsider)
    client.force_login(outsider)
    args = [request.getfixturevalue(fixture).pk for fixture in spec.args]
    url = reverse(name, args=args or None) + spec.query
    data = _data(spec, owner)  # someone else's object
    assert getattr(client, spec.method)(url, data).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, s in URLS.items() if s.wrong_role))
def test_wrong_role_gets_403(client, request, name):
    spec = URLS[name]
    user = request.getfixturevalue(spec.wrong_role)
    client.force_login(user)
    assert _request(client, name, spec, request, user).status_code == 403


@pytest.mark.parametrize("name", sorted(n for n, s in URLS.items() if s.wrong_role))
def test_upper_reviewer_may_look_but_not_change(client, request, name):
    spec = URLS[name]
    reviewer = request.getfixturevalue("reviewer")
    client.force_login(reviewer)
    assert _request(client, name, spec, request, reviewer).status_code == 403


def test_admin_is_for_staff_only(client, chair):
    client.force_login(chair)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
