"""Fixtures for the editor tests (imported by tests/conftest.py so that the URL guard sees them too)."""
