"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py)."""

from tests.urlspec import Spec  # noqa: F401

URLS: dict = {}
