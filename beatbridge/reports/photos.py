"""Photos attached to reports and anonymous tips: checked by content, then re-encoded.

A photo is judged by what its bytes are, never by its file name or the content type
the browser sent. It is accepted only as a still JPEG, PNG or WebP image, within a
size limit (read without loading more than the limit) and a pixel limit (checked
from the header, before anything is decoded, so a decompression bomb costs nothing).
What is stored is a fresh encoding of the pixels alone: EXIF orientation is applied,
the long edge is brought down to a size phones and officers both cope with, and no
metadata of any kind survives (no EXIF or GPS position, no XMP, no ICC profile, no
PNG text chunks). That is what lets an anonymous tip carry a photo without the
phone's location or serial number in it.

Settings (read when a photo is cleaned, each optional):
``REPORT_PHOTO_MAX_BYTES`` (default 10 MB), ``REPORT_PHOTO_MAX_PIXELS`` (default 40
megapixels), ``REPORT_PHOTO_MAX_EDGE`` (default 2048 px).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from beatbridge.errors import DomainError

MAX_PHOTOS_PER_REPORT = 5

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_EDGE = 2048

# Photos are stored as JPEG, or as PNG when some of the picture is see-through.
SAVE_OPTIONS: dict[str, dict[str, object]] = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {}}
OUTPUT_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}

# The formats Pillow may even try to parse: anything else (GIF, SVG, PDF, TIFF...)
# is refused before a decoder for it runs.
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
ANIMATED_FORMATS = ("PNG", "WEBP")


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: the re-encoded bytes and what they are.

    ``extension`` has no leading dot ("jpg" or "png"); ``content_type`` matches it.
    """

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_photo(upload: UploadedFile | BinaryIO, *, field: str = "photos") -> CleanPhoto:
    """Check one uploaded photo by its content and return it re-encoded without metadata.

    Raises ``DomainError`` on ``field`` with code ``not_a_photo``, ``too_large``,
    ``too_many_pixels``, ``animated`` or ``damaged``. Reads the upload from its start.
    """
    data = _read_within_limit(upload, field=field)
    _verify(data, field=field)
    # verify() leaves the image it checked unusable, so decoding starts from a fresh parse.
    image = _decode(_open_checked(data, field=field), field=field)
    return _encode(image)


def clean_photos(
    uploads: Iterable[UploadedFile | BinaryIO], *, field: str = "photos"
) -> list[CleanPhoto]:
    """Clean every photo of one report or tip; refuse more than ``MAX_PHOTOS_PER_REPORT``."""
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS_PER_REPORT:
        raise DomainError(
            _("You can attach at most %(count)d photos.") % {"count": MAX_PHOTOS_PER_REPORT},
            field=field,
            code="too_many_photos",
        )
    return [clean_photo(upload, field=field) for upload in uploads]


def _read_within_limit(upload: UploadedFile | BinaryIO, *, field: str) -> bytes:
    max_bytes = getattr(settings, "REPORT_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    # A form field may already have read the upload; start again from its first byte.
    if upload.seekable():
        upload.seek(0)
    # One byte over the limit is enough to know it is too big, whatever the client claims.
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DomainError(
            _("This photo is larger than %(size)s.") % {"size": filesizeformat(max_bytes)},
            field=field,
            code="too_large",
        )
    return data


def _not_a_photo(field: str) -> DomainError:
    return DomainError(
        _("This file is not a photo we can accept: use a JPEG, PNG or WebP image."),
        field=field,
        code="not_a_photo",
    )


def _damaged(field: str) -> DomainError:
    return DomainError(
        _("This photo is damaged or incomplete. Try sending it again."),
        field=field,
        code="damaged",
    )


def _too_many_pixels(field: str, max_pixels: int) -> DomainError:
    megapixels = max_pixels / 1_000_000
    shown = number_format(megapixels, decimal_pos=0 if megapixels.is_integer() else 1)
    return DomainError(
        _(
            "This photo has more than %(megapixels)s megapixels. "
            "Send a smaller copy of it, or take it at a lower resolution."
        )
        % {"megapixels": shown},
        field=field,
        code="too_many_pixels",
    )


def _open_checked(data: bytes, *, field: str) -> Image.Image:
    """Parse the header only, and refuse what must never reach a decoder."""
    max_pixels = getattr(settings, "REPORT_PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except Image.DecompressionBombError:
        # Pillow's own process-wide limit (twice Image.MAX_IMAGE_PIXELS) caught it first.
        raise _too_many_pixels(field, max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_a_photo(field) from None
    width, height = image.size
    if width * height > max_pixels:
        raise _too_many_pixels(field, max_pixels)
    # Only PNG and WebP animate: a phone's JPEG often holds a second picture (MPO, a
    # preview or depth map) after the photo, and the photo is the first.
    if image.format in ANIMATED_FORMATS and getattr(image, "is_animated", False):
        raise DomainError(
            _("Animated images cannot be attached. Send a still photo."),
            field=field,
            code="animated",
        )
    return image


def _verify(data: bytes, *, field: str) -> None:
    """Refuse by header, then check the file's structure (a PNG's checksums) unread."""
    image = _open_checked(data, field=field)
    try:
        image.verify()
    except (OSError, SyntaxError, ValueError):
        raise _damaged(field) from None


def _decode(image: Image.Image, *, field: str) -> Image.Image:
    """Decode, shrink to the maximum edge and turn upright, refusing truncated files."""
    max_edge = getattr(settings, "REPORT_PHOTO_MAX_EDGE", DEFAULT_MAX_EDGE)
    try:
        # thumbnail() before decoding lets the JPEG decoder scale down as it reads, so
        # a large phone photo never sits in memory at full size. The box is square, so
        # doing this before the EXIF rotation gives the same result as after it.
        image.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
        image.load()
        return ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError):
        raise _damaged(field) from None


def _encode(image: Image.Image) -> CleanPhoto:
    """Copy the pixels alone into a new image and encode that: no metadata can follow."""
    if image.mode.startswith("I"):
        # A 16-bit greyscale PNG: scale it to 8 bits, where convert() would clip it to white.
        image = image.convert("I").point(lambda value: value / 256)
    if _is_transparent(image):
        pixels, image_format = image.convert("RGBA"), "PNG"
    else:
        greyscale = image.mode in ("1", "L", "LA", "I")
        pixels, image_format = image.convert("L" if greyscale else "RGB"), "JPEG"
    # convert() carries the source's info (ICC profile, text chunks, EXIF) along and the
    # PNG encoder writes an ICC profile it finds there; a new image has none.
    bare = Image.new(pixels.mode, pixels.size)
    bare.paste(pixels)
    out = io.BytesIO()
    bare.save(out, format=image_format, **SAVE_OPTIONS[image_format])
    content_type, extension = OUTPUT_TYPES[image_format]
    return CleanPhoto(
        content=out.getvalue(),
        content_type=content_type,
        extension=extension,
        width=bare.width,
        height=bare.height,
    )


def _is_transparent(image: Image.Image) -> bool:
    """True when some pixel is actually see-through, not merely able to be."""
    if not image.has_transparency_data:
        return False
    lowest_alpha, _highest = image.convert("RGBA").getchannel("A").getextrema()
    return lowest_alpha < 255
