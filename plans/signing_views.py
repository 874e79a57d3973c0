"""Signing an issued plan (its chair or vice chair, with the certificates' passwords) and the public page
where anyone checks a signed PDF."""

import base64
import datetime
import hashlib

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from members import access
from plans import signing
from plans.models import Plan, SigningIdentity

INVALID, TOO_LARGE = 422, 413
MAX_PDF_BYTES = 10 * 1024 * 1024  # an issued plan is well under 1 MB
VERIFY_RATE = (30, 600)  # checks per address per ten minutes


class SignForm(forms.Form):
    signer_password = forms.CharField(
        label=gettext_lazy("Password of your signing certificate"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    organization_password = forms.CharField(
        label=gettext_lazy("Password of the organisation's seal certificate"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Leave empty to sign without the seal."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("sign", gettext_lazy("Sign")))


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Signed PDF file"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's form carries the enctype and the token
        self.helper.disable_csrf = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        upload.seek(0)
        if upload.read(4) != b"%PDF":
            raise forms.ValidationError(_("This file is not a PDF."))
        upload.seek(0)
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def plan_sign(request, pk):
    plan = access.get_plan_for(request.user, pk, action="sign")
    form = SignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                signing.plan_sign(
                    plan=plan,
                    by=request.user,
                    signer_password=form.cleaned_data["signer_password"],
                    organization_password=form.cleaned_data["organization_password"] or None,
                )
            except signing.SigningRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The plan is signed. The signed PDF is ready to download."))
                return redirect("plans:detail", plan.pk)
        status = INVALID
    kind = SigningIdentity.Kind
    mine = signing.current_identity(kind=kind.SIGNER, organization=plan.organization, user=request.user)
    seal = signing.current_identity(kind=kind.ORGANIZATION, organization=plan.organization)
    context = {
        "plan": plan,
        "form": form,
        "mine": mine,
        "mine_image": _data_uri(mine),
        "seal": seal,
        "seal_image": _data_uri(seal),
    }
    return render(request, "plans/sign.html", context, status=status)


def _data_uri(identity) -> str:
    """The signature or seal image inline: media files are not served in production."""
    if identity is None or not identity.image:
        return ""
    try:
        with identity.image.open("rb") as f:
            return "data:image/png;base64," + base64.b64encode(f.read()).decode()
    except OSError:
        return ""


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_many_checks(request) -> bool:
    """A per-address budget in the shared cache (Redis in production)."""
    limit, window = VERIFY_RATE
    key = f"verify-rate:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        return False


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: anyone holding a PDF may check it. A matching plan shows only what is printed on the file
    they already hold (reference, title, organisation), so nothing leaks."""
    if request.method == "GET":
        return render(request, "plans/verify.html", {"form": VerifyForm()})
    if _content_length(request) > MAX_PDF_BYTES + 64 * 1024:  # refused before anything is read
        form = VerifyForm()
        form.add_error(None, _("The file is larger than 10 MB."))
        return render(request, "plans/verify.html", {"form": form}, status=TOO_LARGE)
    if _too_many_checks(request):
        form = VerifyForm()
        form.add_error(None, _("Too many files checked from your address; try again in a few minutes."))
        return render(request, "plans/verify.html", {"form": form}, status=429)
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "plans/verify.html", {"form": form}, status=INVALID)
    data = form.cleaned_data["file"].read()
    try:
        result = signing.verify(data)
    except signing.VerifyError as error:
        form.add_error("file", str(error))
        return render(request, "plans/verify.html", {"form": form}, status=INVALID)
    digest = hashlib.sha256(data).hexdigest()
    signers = [
        {
            **signer,
            "when": datetime.datetime.fromisoformat(signer["signed_at"]) if signer["signed_at"] else None,
        }
        for signer in result["signers"]
    ]
    plan = None
    if result["matches_plan"] is not None:
        plan = Plan.objects.select_related("organization").get(pk=result["matches_plan"])
    context = {
        "form": VerifyForm(),
        "result": result,
        "signers": signers,
        "plan": plan,
        "is_signed_copy": plan is not None and plan.signed_sha256 == digest,
        "sha256": digest,
        "filename": form.cleaned_data["file"].name,
    }
    return render(request, "plans/verify.html", context)
