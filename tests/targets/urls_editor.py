"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py).

Targets are written in the plan editor: the union's committee, while the plan is a draft or returned (a
returned plan here, so that the reviewer above sees it and is refused the change with 403)."""

from targets.proposals import propose
from targets.services import proposal_key
from tests.targets.fixtures_editor import EDITOR_BODY
from tests.urlspec import Spec


def new_target(user):
    return {"version": 1, "text": "Kết nạp mới 10 đoàn viên", "kind": "count", "comparison": "at_least",
            "value": "10", "unit": "đoàn viên", "due_kind": "ongoing", "printed": "on"}  # fmt: skip


def open_proposal(user):
    """The proposal of editor_section not yet a target: `100% đoàn viên được thăm hỏi khi ốm đau`."""
    return {"version": 1, "proposal": proposal_key(propose(EDITOR_BODY)[1])}


def version(user):
    return {"version": 1}


def move_down(user):
    return {"version": 1, "direction": "down"}


EDIT = {"kind": "scoped", "wrong_role": "treasurer"}
SECTION = ("returned_plan", "editor_section")
TARGET = ("returned_plan", "editor_target")

URLS: dict = {
    "plans:target_add": Spec(method="post", args=SECTION, data=new_target, **EDIT),
    "plans:target_edit": Spec(method="post", args=TARGET, data=new_target, **EDIT),
    "plans:target_move": Spec(method="post", args=TARGET, data=move_down, **EDIT),
    "plans:target_delete": Spec(method="post", args=TARGET, data=version, **EDIT),
    "plans:target_accept": Spec(method="post", args=SECTION, data=open_proposal, **EDIT),
    "plans:target_ignore": Spec(method="post", args=SECTION, data=open_proposal, **EDIT),
}
