from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from plans.forms import DayField
from plans.importing.source import ImportRefused, read_text, read_upload


class ImportForm(forms.Form):
    """Paste the text of a plan, or upload its .txt or .docx file."""

    text = forms.CharField(
        label=_("Paste the text of the plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=_("or choose a file (.docx or .txt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.txt,text/plain"}),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text", "")
        if not upload and not text.strip():
            raise forms.ValidationError(_("Paste the text of the plan or choose a file."))
        limit = settings.PLAN_IMPORT_MAX_BYTES
        try:
            if upload:
                if upload.size > limit:
                    raise forms.ValidationError(
                        _("The file is %(size)s; the limit is %(limit)s."),
                        params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                    )
                cleaned["lines"] = read_upload(upload.name, upload.read())
                cleaned["filename"] = upload.name[:255]
            else:
                if len(text.encode()) > limit:
                    raise forms.ValidationError(_("The pasted text is longer than the limit of %(limit)s."),
                                                params={"limit": filesizeformat(limit)})  # fmt: skip
                cleaned["lines"] = read_text(text)
                cleaned["filename"] = ""
        except ImportRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        if not cleaned["lines"]:
            raise forms.ValidationError(_("No text was found in the document."))
        return cleaned


class ImportHeaderForm(forms.Form):
    """The header fields as recognised, for the chair to correct before saving."""

    title = forms.CharField(label=capfirst(_("document summary")), max_length=500, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    place = forms.CharField(label=capfirst(_("place")), max_length=100, required=False)
    dated_on = DayField(label=_("Date of the document"), required=False)
    governing_body_line = forms.CharField(
        label=capfirst(_("governing body line")), max_length=255, required=False
    )
    issuer_line = forms.CharField(
        label=capfirst(_("issuing organisation line")), max_length=255, required=False
    )
    signature_authority = forms.CharField(label=capfirst(_("authority line")), max_length=100, required=False)
    signature_title = forms.CharField(label=capfirst(_("signer's title")), max_length=100, required=False)
    signer_name = forms.CharField(label=capfirst(_("signer's name")), max_length=150, required=False)
