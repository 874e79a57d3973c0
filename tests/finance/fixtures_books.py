"""Fixtures of this area (imported by tests/conftest.py)."""
