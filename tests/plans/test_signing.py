"""Digital signatures: identities, signing an issued plan (PAdES, signer first, seal last, placed in the
signature block), verifying any PDF, the two commands and the two pages."""

import datetime
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import include, path, reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from members.models import Officer
from plans import signing
from plans.models import Plan, SigningIdentity
from plans.rendering import render_pdf
from tests.factories import OfficerFactory, UserFactory

Kind = SigningIdentity.Kind
SIGNER_PW = "Ký-số@2025"
SEAL_PW = "Con-dấu@2025"
MM = 72 / 25.4


# --- URLs: the two views under the names the project wires (until config/plans urls carry them) ---------


def _wired() -> bool:
    from plans import urls

    return any(getattr(p, "name", None) == "sign" for p in urls.urlpatterns)


def _urlpatterns():
    from config import urls as project
    from plans import signing_views
    from plans import urls as plan_urls

    plans = [*plan_urls.urlpatterns, path("<int:pk>/sign/", signing_views.plan_sign, name="sign")]
    patterns = [p for p in project.urlpatterns if getattr(p, "pattern", None) and str(p.pattern) != "plans/"]
    return [
        path("plans/", include((plans, "plans"), namespace="plans")),
        path("verify/", signing_views.verify, name="verify"),
        *patterns,
    ]


urlpatterns = [] if _wired() else _urlpatterns()


@pytest.fixture(autouse=True)
def _urls(settings):
    if not _wired():
        settings.ROOT_URLCONF = __name__


# --- fixtures -----------------------------------------------------------------------------------------------

_RENDERED: dict[str, bytes] = {}


@pytest.fixture
def issued(written_plan):
    """An issued plan with its PDF (rendered once per run: every test's plan prints the same)."""
    plan = written_plan
    if "pdf" not in _RENDERED:
        _RENDERED["pdf"] = render_pdf(plan)
    data = _RENDERED["pdf"]
    plan.status = Plan.Status.ISSUED
    plan.issued_pdf.save(f"issued-{plan.pk}.pdf", ContentFile(data), save=False)
    plan.issued_sha256 = hashlib.sha256(data).hexdigest()
    plan.issued_at = timezone.now()
    plan.save()
    return plan


_MADE: dict[tuple, dict] = {}


def _identity(*, kind, organization, user=None, common_name, password):
    """make_identity, once per run for each (kind, name, password): later tests copy its key and image
    (RSA keys and the drawn images are the slow part; every test's union has the same name)."""
    key = (kind, common_name, password, organization.name)
    if key not in _MADE:
        made = signing.make_identity(
            kind=kind, organization=organization, user=user, common_name=common_name, password=password
        )
        _MADE[key] = {
            "fields": {f: getattr(made, f) for f in ("subject", "pkcs12", "certificate_pem", "not_after")},
            "image": made.image.open("rb").read(),
        }
        return made
    copy = SigningIdentity(kind=kind, organization=organization, user=user, **_MADE[key]["fields"])
    copy.image.save(f"{kind}.png", ContentFile(_MADE[key]["image"]), save=False)
    copy.save()
    return copy


@pytest.fixture
def identities(issued, chair):
    org = issued.organization
    mine = _identity(
        kind=Kind.SIGNER, organization=org, user=chair, common_name="Nguyễn Thị Hoa", password=SIGNER_PW
    )
    seal = _identity(kind=Kind.ORGANIZATION, organization=org, common_name=org.name, password=SEAL_PW)
    return mine, seal


@pytest.fixture
def signed(issued, chair, identities):
    plan = signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW, organization_password=SEAL_PW)
    with plan.signed_pdf.open("rb") as f:
        return plan, f.read()


def _validate(data: bytes, identities):
    """pyHanko's own validation, with the two self-signed certificates as the only trust roots."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(pem.unarmor(i.certificate_pem.encode())[2]) for i in identities]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(data))
    return [(sig, validate_pdf_signature(sig, context)) for sig in reader.embedded_regular_signatures]


def _rects(data: bytes) -> dict[str, list[float]]:
    page = PdfReader(io.BytesIO(data)).pages[-1]
    rects = {}
    for annot in page.get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/FT") == "/Sig" or annot.get("/Subtype") == "/Widget":
            rects[str(annot.get("/T"))] = [float(v) for v in annot["/Rect"]]
    return rects


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def _in_content_stream(issued: bytes) -> int:
    """An offset inside the last page's content stream, as issued (so covered by every signature)."""
    contents = PdfReader(io.BytesIO(issued)).pages[-1].raw_get("/Contents")
    start = issued.index(b"\n%d 0 obj" % contents.idnum)
    return issued.index(b"stream", start) + len(b"stream\n") + 20


# --- identities ---------------------------------------------------------------------------------------------


def test_make_identity_packs_a_self_signed_certificate_under_its_password(identities):
    mine, seal = identities
    key, cert, _others = pkcs12.load_key_and_certificates(bytes(mine.pkcs12), SIGNER_PW.encode())
    assert key is not None and cert.subject == cert.issuer
    names = {a.oid._name: a.value for a in cert.subject}
    assert names == {
        "commonName": "Nguyễn Thị Hoa", "organizationName": "Công đoàn cơ sở Trường Mầm non A",
        "countryName": "VN",
    }  # fmt: skip
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert key.key_size == 2048
    assert cert.not_valid_after_utc - cert.not_valid_before_utc > datetime.timedelta(days=364)
    assert mine.not_after == cert.not_valid_after_utc and "CN=Nguyễn Thị Hoa" in mine.subject
    assert x509.load_pem_x509_certificate(mine.certificate_pem.encode()) == cert
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(bytes(mine.pkcs12), b"wrong")
    with pytest.raises((ValueError, TypeError)):
        pkcs12.load_key_and_certificates(bytes(mine.pkcs12), None)
    # the password is nowhere in the row
    for identity, password in ((mine, SIGNER_PW), (seal, SEAL_PW)):
        stored = f"{identity.subject}{identity.certificate_pem}".encode() + bytes(identity.pkcs12)
        assert password.encode() not in stored


def test_the_signature_image_is_blue_on_transparent_and_the_seal_red_and_round(identities):
    mine, seal = identities
    signature = Image.open(mine.image.open("rb")).convert("RGBA")
    assert signature.width / signature.height == pytest.approx(2.5)
    assert signature.getpixel((0, 0))[3] == 0  # transparent background
    raw = signature.tobytes()
    inked = [raw[i : i + 4] for i in range(0, len(raw), 4) if raw[i + 3] > 200]
    assert len(inked) > 2000
    r, g, b = (sum(p[i] for p in inked) / len(inked) for i in range(3))
    assert b > 150 and r < 60 and g < 90  # blue ink
    stamp = Image.open(seal.image.open("rb")).convert("RGBA")
    assert stamp.size[0] == stamp.size[1] >= 400
    for corner in ((0, 0), (stamp.width - 1, 0), (0, stamp.height - 1)):
        assert stamp.getpixel(corner)[3] == 0  # round: the corners are empty
    c = stamp.width // 2
    assert stamp.getpixel((c, c))[3] > 0  # the star in the middle
    ring = [stamp.getpixel((c, y)) for y in range(stamp.height - 15, stamp.height - 3)]
    red = [p for p in ring if p[3] > 150]
    assert red and all(p[0] > 150 and p[1] < 80 and p[2] < 90 for p in red)  # the outer ring, red


def test_identities_need_their_owner_and_a_password(union_a, chair):
    with pytest.raises(ValueError):
        signing.make_identity(kind=Kind.SIGNER, organization=union_a, common_name="X", password="pw")
    with pytest.raises(ValueError):
        signing.make_identity(
            kind=Kind.ORGANIZATION, organization=union_a, user=chair, common_name="X", password="pw"
        )
    with pytest.raises(ValueError):
        signing.make_identity(
            kind=Kind.SIGNER, organization=union_a, user=chair, common_name="X", password=""
        )
    assert not SigningIdentity.objects.exists()


def test_a_long_organisation_name_is_cut_at_a_word_to_fit_a_certificate(union_a):
    union_a.name = "Công đoàn cơ sở Công ty Cổ phần Đầu tư và Phát triển Hạ tầng Kỹ thuật thành phố Hải Phòng"
    seal = signing.make_identity(
        kind=Kind.ORGANIZATION, organization=union_a, common_name=union_a.name, password="pw"
    )
    cert = x509.load_pem_x509_certificate(seal.certificate_pem.encode())
    name = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert len(name.encode()) <= 64 and union_a.name.startswith(name) and not name.endswith(" ")
    organization = cert.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)[0].value
    assert len(organization) <= 64 and union_a.name.startswith(organization)


# --- signing ------------------------------------------------------------------------------------------------


def test_signing_adds_two_intact_pades_signatures_signer_first_seal_last(signed, identities):
    plan, data = signed
    issued_data = plan.issued_pdf.open("rb").read()
    assert data.startswith(issued_data)  # incremental: the issued bytes are untouched
    assert plan.signed_sha256 == hashlib.sha256(data).hexdigest() and plan.signed_at is not None
    assert hashlib.sha256(issued_data).hexdigest() == plan.issued_sha256
    results = _validate(data, identities)
    assert [sig.field_name for sig, _ in results] == [signing.SIGNER_FIELD, signing.SEAL_FIELD]
    assert [sig.signed_revision for sig, _ in results] == [1, 2]
    names = [status.signing_cert.subject.native["common_name"] for _, status in results]
    assert names == ["Nguyễn Thị Hoa", "Công đoàn cơ sở Trường Mầm non A"]
    for sig, status in results:
        assert status.intact and status.valid and status.trusted and status.bottom_line, sig.field_name
        assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
        assert status.md_algorithm == "sha256"
    # the seal covers the whole file: nothing was added after the organisation signed
    from pyhanko.sign.validation import SignatureCoverageLevel

    assert results[-1][1].coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_the_signature_sits_in_the_signature_block_and_the_seal_covers_its_left_third(signed):
    plan, data = signed
    rects = _rects(data)
    assert set(rects) == {signing.SIGNER_FIELD, signing.SEAL_FIELD}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[-1]
        words = page.extract_words()
        height, width = page.height, page.width
    right_half = [w for w in words if w["x0"] > width / 2]
    title = [w for w in right_half if w["text"] == "TỊCH"][-1]
    name = [w for w in right_half if w["text"] == "Hoa" and w["top"] > title["bottom"]][0]
    x0, y0, x1, y1 = rects[signing.SIGNER_FIELD]
    top, bottom = height - y1, height - y0  # pdfplumber measures from the top
    assert x0 > width / 2 and x1 < width - 15 * MM + 1  # in the signature column
    assert top > title["bottom"] and bottom < name["top"]  # between the title line and the name
    centre = (x0 + x1) / 2
    column = ((30 + (210 - 45) / 2) * MM, width - 15 * MM)  # the right half of the text width
    assert centre == pytest.approx(sum(column) / 2, abs=1)  # centred in the signature column
    chu = [w for w in right_half if w["text"] == "CHỦ" and w["top"] == pytest.approx(title["top"])][0]
    assert centre == pytest.approx((chu["x0"] + title["x1"]) / 2, abs=3)  # under the centred title
    assert (x1 - x0) == pytest.approx(signing.SIGNATURE_MM[0] * MM, abs=1)
    s0, t0, s1, t1 = rects[signing.SEAL_FIELD]
    assert s1 - s0 == pytest.approx(t1 - t0, abs=0.1) and 35 * MM <= s1 - s0 <= 40 * MM  # real size, round
    assert s0 < x0 < s1 < x1  # on its left, overlapping
    overlap = (s1 - x0) / (x1 - x0)
    assert 0.25 <= overlap <= 0.42
    assert (t0 + t1) / 2 == pytest.approx((y0 + y1) / 2, abs=1)  # level with the signature
    assert page_count(data) == page_count(plan.issued_pdf.open("rb").read())


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def test_the_signer_alone_when_no_seal_password(issued, chair, identities):
    plan = signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW)
    result = signing.verify(plan.signed_pdf.open("rb").read())
    assert result["intact"] and [s["name"] for s in result["signers"]] == ["Nguyễn Thị Hoa"]


@pytest.mark.parametrize(("signer_pw", "seal_pw"), [("sai", SEAL_PW), (SIGNER_PW, "sai"), ("", SEAL_PW)])
def test_a_wrong_password_refuses_and_stores_nothing(issued, chair, identities, settings, signer_pw, seal_pw):
    with pytest.raises(signing.SigningRefused) as refused:
        signing.plan_sign(plan=issued, by=chair, signer_password=signer_pw, organization_password=seal_pw)
    assert "mật khẩu" in str(refused.value).lower()  # says which password, in Vietnamese
    issued.refresh_from_db()
    assert not issued.signed_pdf and issued.signed_sha256 == "" and issued.signed_at is None
    assert not (Path(settings.MEDIA_ROOT) / "plans" / "signed").exists()


def test_the_refusals_say_why(issued, chair, identities, union_a):
    mine, seal = identities
    seal.delete()
    with pytest.raises(signing.SigningRefused):  # a seal password, but no seal on file
        signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW, organization_password="x")
    SigningIdentity.objects.filter(pk=mine.pk).update(not_after=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(signing.SigningRefused, match="1"):  # expired (the message gives the day)
        signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW)
    mine.delete()
    with pytest.raises(signing.SigningRefused):  # no certificate
        signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW)
    issued.refresh_from_db()
    assert not issued.signed_pdf


def test_a_plan_is_signed_once(signed, chair):
    plan, data = signed
    with pytest.raises(signing.SigningRefused):
        signing.plan_sign(plan=plan, by=chair, signer_password=SIGNER_PW, organization_password=SEAL_PW)
    plan.refresh_from_db()
    assert plan.signed_pdf.open("rb").read() == data


def test_a_tampered_issued_file_is_not_signed(issued, chair, identities):
    Plan.objects.filter(pk=issued.pk).update(issued_sha256="0" * 64)
    with pytest.raises(signing.SigningRefused):
        signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW)


def test_an_older_pdf_without_the_signature_place_is_refused(issued, chair, identities):
    from weasyprint import HTML

    data = HTML(string="<p>Kế hoạch</p>").write_pdf()
    issued.issued_pdf.save("old.pdf", ContentFile(data), save=False)
    issued.issued_sha256 = hashlib.sha256(data).hexdigest()
    issued.save()
    with pytest.raises(signing.SigningRefused):
        signing.plan_sign(plan=issued, by=chair, signer_password=SIGNER_PW)


@pytest.mark.parametrize("persona", ["reviewer", "other_chair", "treasurer"])
def test_only_the_chair_or_vice_chair_signs(request, issued, identities, persona):
    with pytest.raises(PermissionDenied):
        signing.plan_sign(plan=issued, by=request.getfixturevalue(persona), signer_password=SIGNER_PW)


def test_the_vice_chair_signs_with_their_own_certificate(issued, identities, union_a):
    vice = UserFactory(username="vice", full_name="Trần Văn Phó")
    OfficerFactory(user=vice, organization=union_a, role=Officer.Role.VICE_CHAIR)
    signing.make_identity(
        kind=Kind.SIGNER, organization=union_a, user=vice, common_name=vice.full_name, password="pho"
    )
    with pytest.raises(signing.SigningRefused, match="Nguyễn Thị Hoa"):  # the printed signer is the chair
        signing.plan_sign(plan=issued, by=vice, signer_password="pho", organization_password=SEAL_PW)
    Plan.objects.filter(pk=issued.pk).update(
        signature_authority="KT. CHỦ TỊCH", signature_title="PHÓ CHỦ TỊCH", signer_name="Trần Văn Phó"
    )  # as a new version issued with the deputy's block would print
    issued.refresh_from_db()
    plan = signing.plan_sign(plan=issued, by=vice, signer_password="pho", organization_password=SEAL_PW)
    names = [s["name"] for s in signing.verify(plan.signed_pdf.open("rb").read())["signers"]]
    assert names == ["Trần Văn Phó", union_a.name]


def test_a_plan_issued_through_the_lifecycle_is_signed(issued_plan, chair):
    org = issued_plan.organization
    _identity(
        kind=Kind.SIGNER, organization=org, user=chair, common_name="Nguyễn Thị Hoa", password=SIGNER_PW
    )
    _identity(kind=Kind.ORGANIZATION, organization=org, common_name=org.name, password=SEAL_PW)
    plan = signing.plan_sign(
        plan=issued_plan, by=chair, signer_password=SIGNER_PW, organization_password=SEAL_PW
    )
    result = signing.verify(plan.signed_pdf.open("rb").read())
    assert result["intact"] and len(result["signers"]) == 2 and result["matches_plan"] == plan.pk


def test_a_draft_cannot_be_signed(written_plan, chair):
    with pytest.raises(PermissionDenied):
        signing.plan_sign(plan=written_plan, by=chair, signer_password=SIGNER_PW)


# --- verifying ----------------------------------------------------------------------------------------------


def test_verify_a_signed_plan(signed):
    plan, data = signed
    result = signing.verify(data)
    assert set(result) == {"intact", "signers", "matches_plan"}
    assert result["intact"] is True and result["matches_plan"] == plan.pk
    assert [s["name"] for s in result["signers"]] == ["Nguyễn Thị Hoa", "Công đoàn cơ sở Trường Mầm non A"]
    for signer in result["signers"]:
        when = datetime.datetime.fromisoformat(signer["signed_at"])
        assert when.utcoffset() == datetime.timedelta(hours=7)  # Vietnam time
        assert abs(when - plan.signed_at) < datetime.timedelta(minutes=1)
        assert signer["intact"] and signer["trusted"] is False and signer["registered"] is True
    json.dumps(result)  # the command prints it as is


def test_verify_the_issued_pdf_has_no_signature_but_matches(issued):
    result = signing.verify(issued.issued_pdf.open("rb").read())
    assert result == {"intact": False, "signers": [], "matches_plan": issued.pk}


def test_one_byte_changed_in_the_signed_content_is_not_intact(signed):
    plan, data = signed
    at = _in_content_stream(plan.issued_pdf.open("rb").read())
    assert signing.verify(_flip(_flip(data, at), at))["intact"]  # (flipped back: the same file)
    result = signing.verify(_flip(data, at))
    assert result["intact"] is False and result["matches_plan"] is None
    assert [s["intact"] for s in result["signers"]] == [False, False]


def test_one_byte_changed_in_the_seal_revision_is_not_intact(signed):
    plan, data = signed
    at = data.rindex(b"/M (D\\072") + 9  # the seal's signing time (its year), in its signed dictionary
    assert data[at : at + 2] == b"20"
    result = signing.verify(_flip(data, at))
    assert result["intact"] is False and result["signers"][-1]["intact"] is False


def test_content_added_after_the_last_signature_is_not_intact(signed):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.stamp import TextStampStyle

    plan, data = signed
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    TextStampStyle(stamp_text="ĐÃ SỬA").create_stamp(writer, None, {}).apply(0, 100, 100)
    out = io.BytesIO()
    writer.write(out)
    result = signing.verify(out.getvalue())
    assert result["intact"] is False and len(result["signers"]) == 2


@pytest.mark.parametrize("data", [b"", b"hello", b"%PDF-1.7\n garbage", b"\x00" * 2000])
def test_verify_refuses_what_is_not_a_readable_pdf(db, data):
    with pytest.raises(signing.VerifyError):
        signing.verify(data)


def test_signature_place_is_the_named_destination(issued):
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = issued.issued_pdf.open("rb").read()
    place = signing.signature_place(PdfFileReader(io.BytesIO(data)))
    assert place.page == page_count(data) - 1
    assert place.top - place.bottom == pytest.approx(28 * MM)
    assert place.left == pytest.approx(30 * MM + (210 - 45) * MM / 2, abs=1)  # the right column


# --- the commands -------------------------------------------------------------------------------------------


def test_make_demo_certificate_on_the_demo_world(db):
    from members.demo import DEMO_PASSWORD, seed
    from plans.demo import seed_plans

    seed()
    seed_plans()
    out = io.StringIO()
    call_command("make_demo_certificate", "--org", "CĐMNHS", stdout=out)
    call_command("make_demo_certificate", "--org", "CĐMNHS", stdout=out)  # replaces, does not add
    rows = SigningIdentity.objects.filter(organization__symbol="CĐMNHS")
    assert sorted(rows.values_list("kind", "user__username")) == [
        ("organization", None), ("signer", "chutich.hoasen"),
    ]  # fmt: skip
    for row in rows:
        pkcs12.load_key_and_certificates(bytes(row.pkcs12), DEMO_PASSWORD.encode())
        assert row.image
    assert (
        "chutich.hoasen" in out.getvalue()
        and "Công đoàn cơ sở Trường Mầm non tư thục Hoa Sen" in out.getvalue()
    )

    vice_options = ["--user", "phochutich.hoasen", "--password", "x1"]
    call_command("make_demo_certificate", "--org", "CĐMNHS", *vice_options, stdout=out)
    vice = SigningIdentity.objects.get(kind=Kind.SIGNER, user__username="phochutich.hoasen")
    pkcs12.load_key_and_certificates(bytes(vice.pkcs12), b"x1")
    assert "x1" not in out.getvalue()
    with pytest.raises(CommandError):
        call_command("make_demo_certificate", "--org", "CĐMNHS", "--user", "ketoan.hoasen", stdout=out)
    with pytest.raises(CommandError):
        call_command("make_demo_certificate", "--org", "NOPE", stdout=out)
    with pytest.raises(CommandError):
        call_command("make_demo_certificate", "--org", "LĐLĐ", stdout=out)  # two unions use it

    call_command("make_demo_certificate", stdout=out)  # every open union with a chair
    keys = dict(SigningIdentity.objects.values_list("pk", "certificate_pem"))
    call_command("make_demo_certificate", "--if-missing", stdout=out)  # what seed_demo runs: changes nothing
    assert dict(SigningIdentity.objects.values_list("pk", "certificate_pem")) == keys
    seals = set(
        SigningIdentity.objects.filter(kind=Kind.ORGANIZATION).values_list("organization__symbol", flat=True)
    )
    assert {"CĐMNHS", "CĐMMA", "CĐTCKT"} <= seals and "CĐTHTT" not in seals  # not the dissolved one


def test_verify_pdf_command(signed, tmp_path):
    plan, data = signed
    file = tmp_path / "ky.pdf"
    file.write_bytes(data)
    out = io.StringIO()
    call_command("verify_pdf", str(file), "--json", stdout=out)
    assert json.loads(out.getvalue()) == signing.verify(data)
    out = io.StringIO()
    call_command("verify_pdf", str(file), stdout=out)
    text = out.getvalue()
    assert "INTACT" in text and "Nguyễn Thị Hoa" in text and plan.reference in text


def test_verify_pdf_command_refuses_an_unreadable_file(db, tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(CommandError):
        call_command("verify_pdf", str(bad))
    with pytest.raises(CommandError):
        call_command("verify_pdf", str(tmp_path / "missing.pdf"))


def test_verify_pdf_exits_non_zero_from_the_shell(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    done = subprocess.run(
        [sys.executable, "manage.py", "verify_pdf", str(bad)], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert done.returncode != 0 and "CommandError" not in done.stdout


def test_pyhanko_cli_judges_both_signatures_valid(signed, identities, tmp_path):
    pytest.importorskip("pyhanko.cli", reason="pyhanko-cli is not installed")
    plan, data = signed
    file = tmp_path / "ky.pdf"
    file.write_bytes(data)
    trust = []
    for identity in identities:
        pem = tmp_path / f"{identity.kind}.pem"
        pem.write_text(identity.certificate_pem)
        trust += ["--trust", str(pem)]
    command = [
        sys.executable,
        "-m",
        "pyhanko",
        "sign",
        "validate",
        "--pretty-print",
        *trust,
        "--trust-replace",
    ]
    done = subprocess.run([*command, str(file)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("The signature is cryptographically sound.") == 2
    assert done.stdout.count("The signature is judged VALID.") == 2
    assert "Nguyễn Thị Hoa" in done.stdout
    # without the trust roots: both untrusted, both intact
    done = subprocess.run([*command[:5], str(file)], capture_output=True, text=True, check=False)
    assert done.returncode != 0
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [signing.SIGNER_FIELD, signing.SEAL_FIELD]
    assert all(":INTACT:UNTRUSTED" in line for line in lines)


# --- the pages ----------------------------------------------------------------------------------------------


def test_sign_page_shows_the_form_and_signs(client, chair, issued, identities):
    client.force_login(chair)
    url = reverse("plans:sign", args=[issued.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="signer_password"' in response.content and b"data:image/png;base64," in response.content
    response = client.post(url, {"signer_password": SIGNER_PW, "organization_password": SEAL_PW})
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[issued.pk])
    issued.refresh_from_db()
    assert issued.signed_pdf and signing.verify(issued.signed_pdf.open("rb").read())["intact"]


def test_sign_page_wrong_password_shows_the_form_again(client, chair, issued, identities):
    client.force_login(chair)
    url = reverse("plans:sign", args=[issued.pk])
    response = client.post(url, {"signer_password": "sai", "organization_password": SEAL_PW})
    assert response.status_code == 422
    assert response.context["form"].non_field_errors()
    assert SIGNER_PW.encode() not in response.content and b'value="sai"' not in response.content
    assert client.post(url, {"signer_password": ""}).status_code == 422
    issued.refresh_from_db()
    assert not issued.signed_pdf


def test_sign_page_without_a_certificate_says_so(client, chair, issued):
    client.force_login(chair)
    url = reverse("plans:sign", args=[issued.pk])
    assert b'id="no-certificate"' in client.get(url).content
    assert client.post(url, {"signer_password": "x"}).status_code == 422


@pytest.mark.parametrize(("persona", "status"), [("other_chair", 404), ("reviewer", 403), ("treasurer", 403)])
def test_sign_page_access(client, request, issued, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("plans:sign", args=[issued.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"signer_password": SIGNER_PW}).status_code == status


def test_sign_page_wrong_method_and_anonymous(client, chair, issued):
    url = reverse("plans:sign", args=[issued.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(chair)
    assert client.put(url).status_code == 405


def test_verify_page_is_public(client, signed):
    plan, data = signed
    url = reverse("verify")
    assert url == "/verify/"
    response = client.get(url)
    assert response.status_code == 200 and b'type="file"' in response.content
    upload = ContentFile(data, name="ke-hoach-da-ky.pdf")
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["result"]["intact"] and 'id="matching-plan"' in page
    assert plan.reference in page and plan.title in page and plan.organization.name in page
    assert "Nguyễn Thị Hoa" in page and response.context["is_signed_copy"]


def test_verify_page_a_changed_file(client, signed):
    plan, data = signed
    at = _in_content_stream(plan.issued_pdf.open("rb").read())
    response = client.post(reverse("verify"), {"file": ContentFile(_flip(data, at), name="x.pdf")})
    assert response.status_code == 200
    assert not response.context["result"]["intact"] and b'id="no-matching-plan"' in response.content


@pytest.mark.parametrize("content", [b"GIF89a not a pdf", b"%PDF-1.4 but broken"])
def test_verify_page_bad_input_shows_the_form_again(client, db, content):
    response = client.post(reverse("verify"), {"file": ContentFile(content, name="x.pdf")})
    assert response.status_code == 422 and response.context["form"].errors


def test_verify_page_no_file_and_too_large(client, db, monkeypatch):
    assert client.post(reverse("verify"), {}).status_code == 422
    from plans import signing_views

    monkeypatch.setattr(signing_views, "MAX_PDF_BYTES", 10)
    response = client.post(reverse("verify"), {"file": ContentFile(b"%PDF-1.7" + b" " * 100, name="x.pdf")})
    assert response.status_code in (413, 422) and "10 MB" in response.content.decode()


def test_verify_page_wrong_method(client, db):
    assert client.put(reverse("verify")).status_code == 405
    assert client.delete(reverse("verify")).status_code == 405


def test_a_configured_root_makes_the_signers_trusted(signed, identities, settings, tmp_path):
    plan, data = signed
    bundle = tmp_path / "roots.pem"
    bundle.write_text("".join(identity.certificate_pem for identity in identities))
    settings.SIGNING_TRUST_ROOTS = [str(bundle)]
    result = signing.verify(data)
    assert result["intact"] and [s["trusted"] for s in result["signers"]] == [True, True]


def test_the_boxes_keep_the_images_proportions():
    place = signing.Place(page=0, left=300, right=550, top=400, bottom=400 - 28 * MM)
    signature, seal = signing.appearance_boxes(place, signature_aspect=4.0, seal_aspect=0.9)
    assert (signature[2] - signature[0]) / (signature[3] - signature[1]) == pytest.approx(4.0, rel=0.01)
    assert signature[2] - signature[0] <= signing.SIGNATURE_MM[0] * MM + 0.01
    assert (seal[2] - seal[0]) / (seal[3] - seal[1]) == pytest.approx(0.9, rel=0.01)
    assert seal[3] - seal[1] == pytest.approx(signing.SEAL_MM * MM, abs=0.01)


def test_a_long_plan_is_signed_on_its_last_page(written_plan, chair):
    from plans.models import Section

    for position in range(2, 14):
        Section.objects.create(
            plan=written_plan,
            position=position,
            heading=f"Nội dung {position}",
            body="Tổ chức thực hiện. " * 40,
        )
    data = render_pdf(written_plan)
    pages = page_count(data)
    assert pages >= 2
    written_plan.status = Plan.Status.ISSUED
    written_plan.issued_pdf.save("long.pdf", ContentFile(data), save=False)
    written_plan.issued_sha256 = hashlib.sha256(data).hexdigest()
    written_plan.save()
    _identity(
        kind=Kind.SIGNER, organization=written_plan.organization, user=chair, common_name="Nguyễn Thị Hoa",
        password=SIGNER_PW,
    )  # fmt: skip
    plan = signing.plan_sign(plan=written_plan, by=chair, signer_password=SIGNER_PW)
    signed_data = plan.signed_pdf.open("rb").read()
    reader = PdfReader(io.BytesIO(signed_data))
    annotated = [i for i, page in enumerate(reader.pages) if "/Annots" in page]
    assert annotated == [pages - 1]
    assert signing.verify(signed_data)["intact"]
