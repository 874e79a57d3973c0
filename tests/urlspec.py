"""How tests/test_url_guard.py tries one URL (the targets app lists its own in tests/targets/urls_*.py)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    kind: str  # "public", "login" (any logged-in user) or "scoped" (an object in someone's scope)
    method: str = "get"
    args: tuple = ()  # fixture names whose pk fill the URL
    kwargs: dict = field(default_factory=dict)
    data: str | Callable | None = None  # POST data: a function (given the user) or its name in test_url_guard
    allowed: str = "chair"
    ok: int = 200
    outsider: str | None = "other_chair"
    wrong_role: str | None = None  # persona in scope but not allowed
    query: str = ""  # appended to the URL
