"""Strict readers for settings taken from the environment.

Every reader raises ImproperlyConfigured with the variable's name and what was
wrong, so a typo stops start-up with a clear message instead of running with a
silently different configuration.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class Reader:
    def __init__(self, environ_map: Mapping[str, str] | None = None):
        self.environ = os.environ if environ_map is None else environ_map

    def raw(self, name: str, default: str | None = None) -> str | None:
        value = self.environ.get(name)
        return default if value is None else value.strip()

    def bool(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use true or false.")

    def int(self, name: str, default: int) -> int:
        value = self.raw(name)
        if not value:
            return default
        try:
            return int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None

    def list(self, name: str, default: list[str] | None = None) -> list[str]:
        value = self.raw(name)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def origins(self, name: str) -> list[str]:
        origins = self.list(name)
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in {"http", "https"} or not parts.netloc:
                raise ImproperlyConfigured(
                    f"{name} contains {origin!r}; each origin must look like https://example.org."
                )
        return origins

    def database(self, name: str, default: str) -> dict:
        value = self.raw(name) or default
        try:
            config = environ.Env.db_url_config(value)
        except Exception as exc:  # django-environ raises several types for bad URLs
            raise ImproperlyConfigured(f"{name}={value!r} is not a valid database URL: {exc}") from None
        if not config.get("ENGINE"):
            raise ImproperlyConfigured(f"{name}={value!r} names no supported database engine.")
        if config["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
            raise ImproperlyConfigured(f"{name}={value!r}: only postgres:// and sqlite:// are supported.")
        return config

    def redis(self, name: str) -> str | None:
        value = self.raw(name)
        if not value:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
            raise ImproperlyConfigured(f"{name}={value!r} is not a redis:// or rediss:// URL.")
        try:
            parts.port  # noqa: B018 - raises ValueError for a non-numeric port
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} has an invalid port.") from None
        return value

    def email(self, name: str, default: str) -> dict:
        value = self.raw(name) or default
        try:
            config = environ.Env.email_url_config(value)
        except Exception as exc:
            raise ImproperlyConfigured(f"{name}={value!r} is not a valid email URL: {exc}") from None
        if not config.get("EMAIL_BACKEND"):
            raise ImproperlyConfigured(
                f"{name}={value!r}: use smtp://, smtp+tls://, smtp+ssl://, consolemail:// or filemail://."
            )
        return config

    def email_address(self, name: str, default: str) -> str:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        value = self.raw(name) or default
        address = value.rsplit("<", 1)[-1].rstrip(">").strip()
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(f"{name}={value!r} is not an email address.") from None
        return value
