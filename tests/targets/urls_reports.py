"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

A draft report is its union's own business: the reviewer above does not see it (404, tests/targets/
test_report_views.py), so the changes refused to the wrong role are tried on a returned report, which the
reviewer sees and may not change either.
"""

from tests.urlspec import Spec


def accept(user):
    return {"decision": "accept", "note": ""}


URLS: dict = {
    "targets:report_list": Spec("scoped", args=("union_a",), wrong_role="treasurer"),
    "targets:report_start": Spec(
        "scoped", method="post", args=("union_a", "report_period_q1"), ok=302, wrong_role="treasurer"
    ),
    # every officer of the union may read its report; editing it is a POST (test_report_views.py)
    "targets:report": Spec("scoped", args=("report_draft",)),
    "targets:report_submit": Spec(
        "scoped", method="post", args=("report_returned",), ok=302, wrong_role="treasurer"
    ),
    "targets:report_decide": Spec(
        "scoped", method="post", args=("report_submitted",), data=accept, ok=302, allowed="reviewer"
    ),
    "targets:report_pdf": Spec("scoped", args=("report_draft",)),
    "targets:report_evidence": Spec("scoped", args=("report_draft", "report_evidence_entry")),
}
