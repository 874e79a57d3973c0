"""The record of every export of personal data: who took which rows of which union, and when."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataExport(models.Model):
    """Written in the same request as the file it describes; never edited (the admin shows it read-only)."""

    class Kind(models.TextChoices):
        ROLL = "roll", _("Member roll (Excel)")
        WELFARE = "welfare", _("Welfare records (Excel)")
        SIGNATURES = "signatures", _("Recipients' list to sign (PDF)")
        VOUCHER = "voucher", _("Payment voucher (PDF)")
        DUES = "dues", _("Dues sheet (Excel)")
        CASH_BOOK = "cash_book", _("Cash book (Excel)")

    organization = models.ForeignKey(
        "members.Organization", verbose_name=_("union"), on_delete=models.PROTECT, related_name="exports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("exported by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    rows = models.PositiveIntegerField(_("rows"))
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    at = models.DateTimeField(_("exported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.rows} – {self.user} ({self.at:%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An export record is never edited.")
        super().save(*args, **kwargs)
