"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

The dashboard belongs to the reviewers and leaders of an upper union. No `wrong_role` here: the guard also
expects the ward's reviewer to be refused (403) wherever a wrong role is given, and the reviewer is the one
person allowed. The refusals by role (a grassroots chair or treasurer on their own union, a provincial
leader on the ward) are in tests/targets/test_dashboard_views.py.
"""

from tests.urlspec import Spec

URLS: dict = {
    "targets:dashboard": Spec("scoped", args=("ward",), allowed="reviewer"),
    "targets:dashboard_xlsx": Spec("scoped", args=("ward",), allowed="reviewer"),
}
