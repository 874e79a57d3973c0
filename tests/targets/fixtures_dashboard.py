"""Fixtures for the dashboard tests (imported by tests/conftest.py so that the URL guard sees them too)."""
