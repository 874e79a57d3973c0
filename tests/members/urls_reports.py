"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

Exports carry personal data: the union's own officers (the treasurer too); the union above gets 403. The
export log is for the committee. Statistics are counts: the union's officers and every reviewer or leader
above may see them, so they have no wrong role here (the 403 of an upper union's own treasurer is tested in
tests/members/test_stats.py).
"""

from tests.urlspec import Spec

URLS: dict = {
    "members:roll_export": Spec("scoped", args=("union_a",), wrong_role="reviewer"),
    "members:welfare_export": Spec("scoped", args=("union_a",), wrong_role="reviewer", query="?year=2026"),
    "members:export_log": Spec("scoped", args=("union_a",), wrong_role="treasurer"),
    "members:stats_members": Spec("scoped", args=("union_a",)),
    "members:stats_members_pdf": Spec("scoped", args=("union_a",)),
    "members:stats_members_xlsx": Spec("scoped", args=("union_a",)),
    "members:stats_welfare": Spec("scoped", args=("union_a",)),
    "members:stats_welfare_pdf": Spec("scoped", args=("union_a",)),
    "members:stats_welfare_xlsx": Spec("scoped", args=("union_a",)),
}
