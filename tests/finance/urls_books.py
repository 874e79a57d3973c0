"""URLs of this area for tests/test_url_guard.py: who may use each (see tests/urlspec.py)."""

URLS: dict = {}
