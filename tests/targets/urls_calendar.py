"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py)."""

from tests.urlspec import Spec

URLS: dict = {
    # The calendar of the upper union (ward), set by its reviewers and leaders. No `wrong_role` here: the
    # guard tries the `reviewer` persona as the wrong role, and it is the one allowed. The 403 cases (the
    # province's leader on ward, the chair on union_a) are in tests/targets/test_calendar_views.py.
    "targets:calendar": Spec("scoped", args=("ward",), allowed="reviewer"),
}
