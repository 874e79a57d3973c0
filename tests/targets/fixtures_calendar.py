"""Fixtures for the calendar tests (imported by tests/conftest.py so that the URL guard sees them too)."""
