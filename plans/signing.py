"""Digital signatures on issued plans (FORMAT.md, "Digital signatures").

A signing identity is a PKCS#12 bundle kept as it was made, encrypted by its own password; the password is
typed at signing time, used in memory and never stored. An issued PDF is signed PAdES B-B (no time-stamp
authority: the server has no network), in incremental updates: the signer first, the organisation's seal
last. The signer's blue signature is centred in the space between the title line and the name (found by the
`signature-space` named destination the renderer writes); the red seal, at real size, covers the left third
of it.

`verify` answers for any uploaded PDF: are its signatures intact, who signed and when, and is it a file this
application issued or signed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import logging
import math
import random
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from members import access
from plans.models import Plan, SigningIdentity
from plans.rendering import LAYOUT

logger = logging.getLogger(__name__)

Kind = SigningIdentity.Kind
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4  # PDF points per millimetre

SIGNER_FIELD = "Signer"
SEAL_FIELD = "OrganizationSeal"
# The named destination `plans/document.html` puts on the empty space of the signature block.
SIGNATURE_ANCHOR = "signature-space"

# Sizes on the page, in millimetres: a seal is 35-40 mm across; the signature fits the 28 mm space.
SEAL_MM = 36
SIGNATURE_MM = (50, 20)
SEAL_OVERLAP = 1 / 3  # of the signature's width, on its left

SIGNATURE_INK = (26, 63, 168)  # #1a3fa8, ballpoint blue
SEAL_INK = (204, 20, 36)  # seal red

FONTS = {
    "bold": ("Tinos:bold", ["croscore/Tinos-Bold.ttf", "liberation/LiberationSerif-Bold.ttf"]),
    "italic": ("Tinos:italic", ["croscore/Tinos-Italic.ttf", "liberation/LiberationSerif-Italic.ttf"]),
}


class SigningRefused(ValueError):
    """Signing cannot go ahead; the message says why, in words the signer understands. Nothing was stored."""


class VerifyError(ValueError):
    """The upload is not a PDF that can be read."""


# --- identities -------------------------------------------------------------------------------------------


def _x520(text: str, limit: int = 64, *, in_bytes: bool = False) -> str:
    """A name attribute fits in 64 characters (X.520; a common name in 64 UTF-8 bytes, as cryptography
    checks it); a longer name is cut at a word."""
    text = " ".join(text.split())

    def size(value: str) -> int:
        return len(value.encode()) if in_bytes else len(value)

    if size(text) <= limit:
        return text
    words, kept = text.split(" "), ""
    for word in words:
        candidate = f"{kept} {word}".strip()
        if size(candidate) > limit:
            break
        kept = candidate
    if not kept:  # one very long word
        kept = text
        while size(kept) > limit:
            kept = kept[:-1]
    return kept


def _certificate(common_name: str, organization_name: str, days: int):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, _x520(common_name, in_bytes=True)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _x520(organization_name)),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,  # nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(usage, critical=True)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def make_identity(
    *, kind: str, organization, user=None, common_name: str, password: str, days: int = 365
) -> SigningIdentity:
    """A self-signed certificate with its key, packed as PKCS#12 under `password`, and its image."""
    if kind == Kind.SIGNER and user is None:
        raise ValueError("a signer identity belongs to a user")
    if kind == Kind.ORGANIZATION and user is not None:
        raise ValueError("an organisation identity belongs to no user")
    if not password:
        raise ValueError("a signing identity needs a password")
    key, certificate = _certificate(common_name, organization.name, days)
    bundle = pkcs12.serialize_key_and_certificates(
        name=_x520(common_name, in_bytes=True).encode(),
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )
    if kind == Kind.SIGNER:
        image = signature_image(common_name)
    else:
        image = seal_image(organization.name, bottom=organization.locality, centre=organization.symbol)
    identity = SigningIdentity(
        kind=kind,
        organization=organization,
        user=user,
        subject=certificate.subject.rfc4514_string()[:255],
        pkcs12=bundle,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode(),
        not_after=certificate.not_valid_after_utc,
    )
    identity.image.save(
        f"{kind}-{organization.pk}-{secrets.token_hex(6)}.png", ContentFile(image), save=False
    )
    identity.save()
    return identity


@transaction.atomic
def replace_identity(*, kind: str, organization, user=None, **fields) -> SigningIdentity:
    """A new identity in place of the ones of that kind (and user) for the organisation, images included."""
    old = SigningIdentity.objects.filter(kind=kind, organization=organization, user=user)
    for identity in old:
        if identity.image:
            transaction.on_commit(functools.partial(identity.image.storage.delete, identity.image.name))
    old.delete()
    return make_identity(kind=kind, organization=organization, user=user, **fields)


def current_identity(*, kind: str, organization, user=None) -> SigningIdentity | None:
    """The newest identity of that kind on file (an expired one too: signing then says it expired)."""
    identities = SigningIdentity.objects.filter(kind=kind, organization=organization)
    if kind == Kind.SIGNER:
        identities = identities.filter(user=user)
    return identities.order_by("-created_at", "-pk").first()


# --- images -----------------------------------------------------------------------------------------------


@functools.cache
def _font_path(style: str) -> str | None:
    pattern, known = FONTS[style]
    if shutil.which("fc-match"):
        try:
            found = subprocess.run(
                ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=5, check=False
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found and Path(found).is_file():
            return found
    for relative in known:
        path = Path("/usr/share/fonts/truetype") / relative
        if path.is_file():
            return str(path)
    return None


def _font(style: str, size: int):
    path = _font_path(style)
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _bezier(p0, p1, p2, p3, steps=60):
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        yield (
            u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
            u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1],
        )


def _pen(draw: ImageDraw.ImageDraw, points: list, width: float, fill) -> None:
    """A pen stroke: thin where it starts and ends, full in the middle, with round joins."""
    count = len(points)
    for i, (a, b) in enumerate(zip(points, points[1:], strict=False)):
        pressure = 0.35 + 0.65 * math.sin(math.pi * (i + 0.5) / count)
        w = max(1.0, width * pressure)
        draw.line([a, b], fill=fill, width=round(w))
        r = w / 2
        draw.ellipse([b[0] - r, b[1] - r, b[0] + r, b[1] + r], fill=fill)


def signature_image(name: str) -> bytes:
    """A blue handwritten-looking signature on a transparent PNG (2.5:1): the initials in a leaning hand, a
    chain of loops for the rest of the name, and an underline flourish. The same name draws the same."""
    scale = 2  # drawn large, then reduced: smooth edges
    width, height = 1000 * scale, 400 * scale
    rng = random.Random(hashlib.sha256(name.encode()).digest())
    image = Image.new("RGBA", (width, height), (*SIGNATURE_INK, 0))
    draw = ImageDraw.Draw(image)
    ink = (*SIGNATURE_INK, 255)
    words = name.split() or ["?"]
    initials = (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()
    stroke, slant, base = 8 * scale, 0.35, height * 0.62

    font = _font("italic", int(height * 0.42))
    letters = Image.new("RGBA", (width, height), (*SIGNATURE_INK, 0))
    ImageDraw.Draw(letters).text((width * 0.1, base), initials, font=font, fill=ink, anchor="ls")
    shear = (1, slant, -slant * base, 0, 1, 0)
    image.alpha_composite(
        letters.transform(letters.size, Image.Transform.AFFINE, shear, Image.Resampling.BICUBIC)
    )

    # a prolate trochoid: loops at the top, joined at the baseline, leaning like the initials
    x0 = width * 0.1 + font.getlength(initials) + width * 0.01
    loops = rng.randint(4, 6)
    a, b = width * 0.0075, width * 0.024
    heights = [rng.uniform(0.7, 1.5) for _ in range(loops + 2)]
    points = []
    steps = 40 * loops
    for i in range(steps + 1):
        k = loops * i / steps
        t = math.pi + 2 * math.pi * k
        j, f = int(k), k - int(k)
        h = heights[j] * (1 - f) + heights[j + 1] * f
        y = base - b * h * (1 + math.cos(t)) * 1.6
        x = x0 + a * t * 2.2 - b * math.sin(t) * 1.1
        points.append((x + slant * (base - y), y))
    _pen(draw, points, stroke, ink)

    # the flourish: from the last loop round and back under everything, ending in a light tick
    start = points[-1]
    swoop = list(
        _bezier(
            start,
            (start[0] + width * 0.1, start[1] + height * 0.05),
            (start[0] + width * 0.05, height * 0.9),
            (width * 0.45, height * 0.82),
            80,
        )
    )
    end = (width * rng.uniform(0.05, 0.12), height * 0.68)
    swoop += list(_bezier(swoop[-1], (width * 0.25, height * 0.78), (width * 0.12, height * 0.8), end, 50))[
        1:
    ]
    _pen(draw, swoop, stroke * 0.85, ink)

    # the ink fills the picture: crop to it, then pad back to 2.5:1
    left, top, right, bottom = image.getchannel("A").getbbox()
    margin = 10 * scale
    ink_w, ink_h = right - left + 2 * margin, bottom - top + 2 * margin
    out_w, out_h = max(ink_w, round(ink_h * 2.5)), max(ink_h, round(ink_w / 2.5))
    canvas = Image.new("RGBA", (out_w, out_h), (*SIGNATURE_INK, 0))
    canvas.alpha_composite(
        image.crop((left - margin, top - margin, right + margin, bottom + margin)),
        ((out_w - ink_w) // 2, (out_h - ink_h) // 2),
    )
    canvas = canvas.resize((900, 360), Image.Resampling.LANCZOS)
    return _png(canvas)


def _arc_text(image, text, *, font, centre, radius, middle_deg, bottom, ink, spacing):
    """Write `text` along a circle: across the top reading clockwise, across the bottom upright."""
    advances = [font.getlength(char) + spacing for char in text]
    total = sum(advances)
    angle = middle_deg - math.degrees(total / radius) / 2 * (-1 if bottom else 1)
    size = int(font.size * 2.2)
    for char, advance in zip(text, advances, strict=True):
        half = math.degrees(advance / radius) / 2
        angle += -half if bottom else half
        tile = Image.new("RGBA", (size, size), (*ink[:3], 0))
        ImageDraw.Draw(tile).text((size / 2, size / 2), char, font=font, fill=ink, anchor="mm")
        rotation = 180 - angle if bottom else -angle
        tile = tile.rotate(rotation, resample=Image.Resampling.BICUBIC)
        rad = math.radians(angle)
        x = centre + radius * math.sin(rad)
        y = centre - radius * math.cos(rad)
        image.alpha_composite(tile, (round(x - size / 2), round(y - size / 2)))
        angle += -half if bottom else half


def _star(draw, centre, outer, inner, fill, rotation=0.0):
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = math.radians(rotation + i * 36)
        points.append((centre[0] + r * math.sin(a), centre[1] - r * math.cos(a)))
    draw.polygon(points, fill=fill)


def seal_image(name: str, *, bottom: str = "", centre: str = "") -> bytes:
    """A red round seal on a transparent PNG (600 px for 36 mm): two rings, the organisation's name around
    the top, its locality around the bottom, a star in the middle over its symbol."""
    scale = 2
    size = 600 * scale
    c = size / 2
    ink = (*SEAL_INK, 235)
    image = Image.new("RGBA", (size, size), (*SEAL_INK, 0))
    draw = ImageDraw.Draw(image)
    outer, outer_w = size * 0.485, size * 0.032
    inner, inner_w = size * 0.335, size * 0.011
    draw.ellipse([c - outer, c - outer, c + outer, c + outer], outline=ink, width=round(outer_w))
    draw.ellipse([c - inner, c - inner, c + inner, c + inner], outline=ink, width=round(inner_w))

    text_radius = (outer - outer_w + inner) / 2
    top = " ".join(name.upper().split())
    low = " ".join(bottom.upper().split())
    band = (outer - outer_w) - inner  # room between the rings
    span = 300 if not low else 230  # degrees the top text may take
    font_size = int(band * 0.62)
    while font_size > 10:
        font = _font("bold", font_size)
        spacing = font_size * 0.08
        needed = math.degrees(sum(font.getlength(ch) + spacing for ch in top) / text_radius)
        if needed <= span:
            break
        font_size -= 2
    _arc_text(
        image,
        top,
        font=font,
        centre=c,
        radius=text_radius,
        middle_deg=0,
        bottom=False,
        ink=ink,
        spacing=spacing,
    )
    if low:
        low_font = _font("bold", int(min(font_size, band * 0.55)))
        needed = math.degrees(sum(low_font.getlength(ch) + spacing for ch in low) / text_radius)
        if needed <= 360 - span - 30:
            _arc_text(
                image,
                low,
                font=low_font,
                centre=c,
                radius=text_radius,
                middle_deg=180,
                bottom=True,
                ink=ink,
                spacing=spacing,
            )
            # the two small stars between the top and the bottom text
            for side in (-1, 1):
                a = math.radians(180 + side * (needed / 2 + (360 - span - needed) / 4))
                at = (c + text_radius * math.sin(a), c - text_radius * math.cos(a))
                _star(draw, at, band * 0.2, band * 0.08, ink)

    _star(draw, (c, c - size * 0.04), size * 0.13, size * 0.052, ink)
    if centre:
        centre_font = _font("bold", int(size * 0.06))
        while centre_font.getlength(centre) > inner * 1.5 and centre_font.size > 10:
            centre_font = _font("bold", centre_font.size - 2)
        draw.text((c, c + size * 0.16), centre, font=centre_font, fill=ink, anchor="mm")

    # a seal is pressed: the ink is a little uneven
    noise = Image.effect_noise((size, size), 40).filter(ImageFilter.GaussianBlur(1.2))
    alpha = image.getchannel("A")
    uneven = Image.eval(noise, lambda v: 190 + v // 4)
    image.putalpha(Image.composite(uneven, alpha, alpha.point(lambda v: 255 if v > 200 else 0)))
    image = image.resize((size // scale, size // scale), Image.Resampling.LANCZOS)
    return _png(image)


# --- where the signature goes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The empty space of the signature block, in PDF points from the page's lower-left corner."""

    page: int
    left: float
    right: float
    top: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.top + self.bottom) / 2


def _name_tree_lookup(node, key: str, depth: int = 0):
    if depth > 20:
        return None
    names = node.get("/Names")
    if names is not None:
        for i in range(0, len(names) - 1, 2):
            if str(names[i]) == key:
                return names[i + 1]
    for kid in node.get("/Kids", []):
        found = _name_tree_lookup(kid, key, depth + 1)
        if found is not None:
            return found
    return None


def signature_place(reader) -> Place | None:
    """Where the renderer put the signature space (the named destination), or None for an older PDF."""
    try:
        return _signature_place(reader)
    except (KeyError, IndexError, AttributeError, TypeError, ValueError):
        return None


def _signature_place(reader) -> Place | None:
    root = reader.root
    destination = None
    if "/Names" in root and "/Dests" in root["/Names"]:
        destination = _name_tree_lookup(root["/Names"]["/Dests"], SIGNATURE_ANCHOR)
    if destination is None and "/Dests" in root:
        destination = root["/Dests"].get("/" + SIGNATURE_ANCHOR)
    if destination is None:
        return None
    if hasattr(destination, "get") and "/D" in destination:
        destination = destination["/D"]
    if str(destination[1]) != "/XYZ":
        return None
    page_ref = destination.raw_get(0)
    left, top = float(destination[2]), float(destination[3])
    count = int(root["/Pages"]["/Count"])
    for index in range(count - 1, -1, -1):  # the signature block is on the last page: look there first
        ref, _resources = reader.find_page_for_modification(index)
        if (ref.idnum, ref.generation) == (page_ref.idnum, page_ref.generation):
            box = [float(v) for v in ref.get_object()["/MediaBox"]]
            right = box[2] - LAYOUT["margin_right"] * MM  # the signature column ends at the right margin
            return Place(index, left, right, top, top - LAYOUT["signature_space"] * MM)
    return None


def _fit(width: float, height: float, aspect: float) -> tuple[float, float]:
    """The largest box of that aspect (width / height) inside width × height."""
    return (width, width / aspect) if width / height <= aspect else (height * aspect, height)


def appearance_boxes(
    place: Place, *, signature_aspect: float = 2.5, seal_aspect: float = 1.0
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The signer's box, centred in the space; the seal's box, real size, over the signature's left third.
    Each box keeps its image's proportions."""
    cx, cy = place.centre
    w, h = _fit(SIGNATURE_MM[0] * MM, SIGNATURE_MM[1] * MM, signature_aspect)
    signature = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    sw, sh = _fit(SEAL_MM * MM, SEAL_MM * MM, seal_aspect)
    seal_right = signature[0] + w * SEAL_OVERLAP
    seal = (seal_right - sw, cy - sh / 2, seal_right, cy + sh / 2)
    return tuple(round(v, 2) for v in signature), tuple(round(v, 2) for v in seal)


def _aspect(image: bytes) -> float:
    with Image.open(io.BytesIO(image)) as picture:
        return picture.width / picture.height


# --- signing ----------------------------------------------------------------------------------------------


def _unlock(identity: SigningIdentity, password: str, *, expired: str, wrong: str):
    """The identity's key as a pyHanko signer, held in memory only; a wrong password refuses."""
    from pyhanko.sign import signers

    if identity.not_after <= timezone.now():
        raise SigningRefused(expired % {"day": timezone.localtime(identity.not_after).strftime("%d/%m/%Y")})
    if not identity.image:
        raise SigningRefused(
            _("A signing certificate has no signature or seal image. Ask the administrator.")
        )
    try:
        return signers.SimpleSigner.load_pkcs12_data(bytes(identity.pkcs12), [], passphrase=password.encode())
    except ValueError:
        raise SigningRefused(wrong) from None


def _sign_revision(data: bytes, *, signer, field: str, page: int, box, image: bytes, location: str) -> bytes:
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    width, height = box[2] - box[0], box[3] - box[1]
    picture = Image.open(io.BytesIO(image))
    picture.load()
    style = StaticStampStyle(
        background=PdfImage(picture.convert("RGBA"), box=layout.BoxConstraints(width, height)),
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
        ),
        border_width=0,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,  # PAdES B-B: no time-stamp authority here
        md_algorithm="sha256",
        location=location or None,
    )
    pdf_signer = signers.PdfSigner(
        meta, signer, stamp_style=style, new_field_spec=fields.SigFieldSpec(field, on_page=page, box=box)
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    return pdf_signer.sign_pdf(writer).getvalue()


@transaction.atomic
def plan_sign(*, plan: Plan, by, signer_password: str, organization_password: str | None = None) -> Plan:
    """Signs the issued PDF: `by` first, then (when its password is given) the organisation's seal."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    plan = Plan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    if not access.can(by, "sign", plan):
        raise PermissionDenied
    if not plan.issued_pdf:
        raise SigningRefused(_("This plan has no issued PDF to sign."))
    if plan.signed_pdf:
        raise SigningRefused(_("This plan is already signed."))
    if " ".join(by.get_full_name().split()).casefold() != " ".join(plan.signer_name.split()).casefold():
        # the printed block names who signs (FORMAT.md: a deputy signs as KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)
        raise SigningRefused(
            _(
                "The document names %(signer)s as its signer; only they can sign it. If you sign on their "
                "behalf, start a new version with your name and title (e.g. KT. CHỦ TỊCH, PHÓ CHỦ TỊCH)."
            )
            % {"signer": plan.signer_name or "—"}
        )
    organization = plan.organization
    mine = current_identity(kind=Kind.SIGNER, organization=organization, user=by)
    if mine is None:
        raise SigningRefused(
            _("You have no signing certificate for this organisation. Ask the administrator.")
        )
    seal = None
    if organization_password:
        seal = current_identity(kind=Kind.ORGANIZATION, organization=organization)
        if seal is None:
            raise SigningRefused(_("This organisation has no seal certificate. Leave its password empty."))
    signer = _unlock(
        mine,
        signer_password,
        expired=_("Your signing certificate expired on %(day)s. Ask the administrator for a new one."),
        wrong=_("The password of your signing certificate is not correct. Nothing was signed."),
    )
    seal_signer = None
    if seal is not None:
        seal_signer = _unlock(
            seal,
            organization_password,
            expired=_("The organisation's seal certificate expired on %(day)s. Ask the administrator."),
            wrong=_(
                "The password of the organisation's seal certificate is not correct. Nothing was signed."
            ),
        )

    with plan.issued_pdf.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != plan.issued_sha256:
        raise SigningRefused(
            _("The stored issued PDF does not match its recorded SHA-256. Nothing was signed.")
        )
    place = signature_place(PdfFileReader(io.BytesIO(data)))
    if place is None:
        raise SigningRefused(
            _("The issued PDF has no marked place for the signature. Issue a new version, then sign it.")
        )
    with mine.image.open("rb") as f:
        signature_png = f.read()
    seal_png = b""
    if seal_signer is not None:
        with seal.image.open("rb") as f:
            seal_png = f.read()
    signature_box, seal_box = appearance_boxes(
        place, signature_aspect=_aspect(signature_png), seal_aspect=_aspect(seal_png) if seal_png else 1.0
    )
    location = organization.locality
    signed = _sign_revision(
        data,
        signer=signer,
        field=SIGNER_FIELD,
        page=place.page,
        box=signature_box,
        image=signature_png,
        location=location,
    )
    if seal_signer is not None:
        signed = _sign_revision(
            signed,
            signer=seal_signer,
            field=SEAL_FIELD,
            page=place.page,
            box=seal_box,
            image=seal_png,
            location=location,
        )

    name = f"{plan.reference.strip().replace('/', '-')}-{plan.pk}-signed.pdf"
    plan.signed_pdf.save(name, ContentFile(signed), save=False)
    plan.signed_sha256 = hashlib.sha256(signed).hexdigest()
    plan.signed_at = timezone.now()
    plan.save(update_fields=["signed_pdf", "signed_sha256", "signed_at"])
    return plan


# --- verifying --------------------------------------------------------------------------------------------


class _NoTraceback(logging.Filter):
    """pyHanko logs a full traceback for every certificate it cannot trust (every self-signed one): keep the
    one-line warning, drop the traceback, so a public verify page cannot fill the logs."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True


logging.getLogger("pyhanko.sign.validation.generic_cms").addFilter(_NoTraceback())


@functools.cache
def _load_roots(paths: tuple[str, ...]) -> tuple:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            roots += [
                asn1_x509.Certificate.load(der) for _type, _headers, der in pem.unarmor(data, multiple=True)
            ]
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return tuple(roots)


def trust_roots() -> tuple:
    """The certification authorities whose certificates count as trusted: only those configured in
    SIGNING_TRUST_ROOTS (PEM or DER files, e.g. Vietnam's national root CA), never the web's TLS roots.
    Certificates made here are self-signed, so they are never trusted; integrity does not depend on it."""
    return _load_roots(tuple(str(p) for p in getattr(settings, "SIGNING_TRUST_ROOTS", ())))


def _registered(der: bytes) -> bool:
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM).decode()
    return SigningIdentity.objects.filter(certificate_pem=pem).exists()


def _signer_entry(embedded) -> dict:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    certificate = embedded.signer_cert
    subject = certificate.subject.native
    when = embedded.self_reported_timestamp
    entry = {
        "name": subject.get("common_name") or certificate.subject.human_friendly,
        "organization": subject.get("organization_name", ""),
        "field": embedded.field_name,
        "signed_at": when.astimezone(VIETNAM).isoformat(timespec="seconds") if when else None,
        "intact": False,
        "trusted": False,
        "registered": _registered(certificate.dump()),
    }
    try:
        context = ValidationContext(trust_roots=list(trust_roots()), allow_fetching=False)
        status = validate_pdf_signature(embedded, context)
    except Exception:  # a damaged signature can fail anywhere inside the validator
        logger.info("signature %s could not be validated", embedded.field_name, exc_info=True)
        return entry
    allowed = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)
    entry["intact"] = bool(
        status.intact
        and status.valid
        and status.coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION)
        and status.modification_level in allowed
        and status.docmdp_ok is not False
    )
    entry["trusted"] = bool(status.trusted)
    return entry


# An issued plan carries two signatures (signer, seal) in three revisions; anything far beyond is refused.
MAX_SIGNATURES = 6
MAX_REVISIONS = 12


def verify(data: bytes) -> dict:
    """{"intact", "signers": [{"name", "signed_at", …}], "matches_plan"} for the bytes of a PDF.

    `intact`: the file has signatures and every one of them checks out (the signed bytes are unchanged and
    nothing but signing was added after). Trust in a certificate is reported per signer (`trusted`: it
    chains to a trusted root; self-signed ones never do; `registered`: it is one on file here).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    if b"%PDF-" not in data[:1024]:
        raise VerifyError(_("This file is not a PDF."))
    try:
        reader = PdfFileReader(io.BytesIO(data))
        if reader.encrypted:
            raise VerifyError(_("This PDF is encrypted; it cannot be checked."))
        embedded = sorted(reader.embedded_regular_signatures, key=lambda sig: sig.signed_revision)
        if len(embedded) > MAX_SIGNATURES or reader.xrefs.total_revisions > MAX_REVISIONS:
            # each signature is checked over the whole file: hundreds of them would tie up the server
            raise VerifyError(_("This PDF has more signatures or revisions than a plan can have."))
    except VerifyError:
        raise
    except Exception as error:  # a damaged file can fail anywhere inside the parser
        logger.info("unreadable PDF uploaded for verification: %r", error)
        raise VerifyError(_("This PDF is damaged and cannot be read.")) from None
    signers = [_signer_entry(sig) for sig in embedded]
    digest = hashlib.sha256(data).hexdigest()
    match = (
        Plan.objects.filter(Q(issued_sha256=digest) | Q(signed_sha256=digest))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {
        "intact": bool(signers) and all(s["intact"] for s in signers),
        "signers": signers,
        "matches_plan": match,
    }
