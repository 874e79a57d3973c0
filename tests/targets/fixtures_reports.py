"""Fixtures for the reports tests (imported by tests/conftest.py so that the URL guard sees them too)."""
