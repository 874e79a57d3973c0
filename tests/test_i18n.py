import datetime
import shutil
import unicodedata
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import formats, translation

from finance.templatetags.money import format_vnd

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
SKIPPED_DIRS = {"tests", "scripts", "docs", "staticfiles", "media", "test-artifacts", "node_modules"}


def test_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 100


def test_every_message_of_the_sources_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """makemessages run afresh on a copy of the sources finds nothing new: a msgid added to the code without
    its translation, or a catalogue left uncommitted, fails here instead of showing English in the app."""
    root = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns(
        ".*", "__pycache__", "staticfiles", "media", "test-artifacts", "tests", "*.mo"
    )
    copy = tmp_path / "src"
    copy.mkdir()
    for entry in root.iterdir():
        if entry.is_dir() and not entry.name.startswith(".") and entry.name not in SKIPPED_DIRS:
            shutil.copytree(entry, copy / entry.name, ignore=skip)
        elif entry.suffix == ".py":
            shutil.copy(entry, copy)
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["vi"], no_location=True, no_obsolete=True, verbosity=0)
    fresh = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in fresh.untranslated_entries()] == []
    assert [e.msgid for e in fresh.fuzzy_entries()] == []
    assert len(fresh.translated_entries()) == len(polib.pofile(str(CATALOGUE)).translated_entries())


def test_translations_are_nfc_and_keep_their_placeholders():
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            assert unicodedata.is_normalized("NFC", text), entry.msgid
        for placeholder in ("%(name)s", "%(day)s", "%(role)s", "%(organization)s", "%(counter)s"):
            if placeholder in entry.msgid:
                translated = entry.msgstr or entry.msgstr_plural[0]
                assert placeholder in translated, entry.msgid


def test_vietnamese_is_the_default_language():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        assert translation.gettext("Log in") == "Đăng nhập"


def test_dates_are_written_day_month_year():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2023, 3, 5)) == "05/03/2023"
        rendered = Template("{{ day|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"day": datetime.date(2025, 7, 1)})
        )
        assert rendered == "01/07/2025"
        from django import forms

        assert forms.DateField().clean("30/06/2025") == datetime.date(2025, 6, 30)


def test_impossible_date_is_refused_in_vietnamese():
    from django import forms

    with translation.override("vi"):
        try:
            forms.DateField().clean("30/02/2023")
        except forms.ValidationError as error:
            assert "ngày hợp lệ" in error.messages[0]
        else:
            raise AssertionError("30/02/2023 was accepted")


def test_amounts_are_whole_dong_with_dots():
    assert format_vnd(1234567) == "1.234.567 đ"
    assert format_vnd(234000) == "234.000 đ"
    assert format_vnd(0) == "0 đ"
    assert format_vnd(-50000) == "-50.000 đ"
    assert Template("{% load money %}{{ x|vnd }}").render(Context({"x": 2340000})) == "2.340.000 đ"
