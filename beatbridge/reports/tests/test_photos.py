from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from beatbridge.errors import DomainError
from beatbridge.reports.photos import MAX_PHOTOS_PER_REPORT, clean_photo, clean_photos

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def encoded(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=image_format, **options)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def noisy(size: tuple[int, int]) -> Image.Image:
    """A picture with detail in it, so its encoding is not a few hundred bytes."""
    return Image.effect_noise(size, 64).convert("RGB")


def refusal(data: bytes, **options: object) -> DomainError:
    with pytest.raises(DomainError) as raised:
        clean_photo(upload(data), **options)
    return raised.value


def reopened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size and whose pixel data is a few junk bytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"junk")
        + chunk(b"IEND", b"")
    )


class ReadCounter(io.BytesIO):
    """A stream that remembers how many bytes were asked of it."""

    bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.bytes_read += len(data)
        return data


# Metadata -------------------------------------------------------------------------------


def test_jpeg_with_gps_comes_out_with_no_metadata_at_all():
    exif = Image.Exif()
    exif[MAKE] = "Acme Phone"
    exif[GPS_IFD] = {1: "N", 2: (47.0, 36.0, 22.5), 3: "W", 4: (122.0, 19.0, 55.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encoded(
        noisy((64, 48)),
        "JPEG",
        exif=exif,
        icc_profile=icc,
        comment=b"taken at 12 Elm Street",
        xmp=b"<x:xmpmeta>Elm Street</x:xmpmeta>",
    )
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the input really has GPS

    photo = clean_photo(upload(data))

    image = reopened(photo.content)
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
    assert b"Exif" not in photo.content
    assert b"Elm Street" not in photo.content
    assert b"Acme" not in photo.content


def test_png_text_chunks_are_dropped():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "home of the reporter")
    text.add_itxt("Description", "home of the reporter")
    image = Image.new("RGBA", (32, 32), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (8, 8, 24, 24))

    photo = clean_photo(upload(encoded(image, "PNG", pnginfo=text), name="drawing.png"))

    assert photo.content_type == "image/png"
    cleaned = reopened(photo.content)
    assert cleaned.text == {}
    assert b"reporter" not in photo.content


# What is accepted, and as what -------------------------------------------------------


def test_jpeg_stays_jpeg():
    photo = clean_photo(upload(encoded(noisy((64, 48)), "JPEG")))

    assert (photo.content_type, photo.extension) == ("image/jpeg", "jpg")
    assert reopened(photo.content).format == "JPEG"
    assert (photo.width, photo.height) == (64, 48)


def test_opaque_png_becomes_jpeg():
    opaque = Image.new("RGBA", (40, 30), (10, 200, 30, 255))

    photo = clean_photo(upload(encoded(opaque, "PNG"), name="screenshot.png"))

    assert (photo.content_type, photo.extension) == ("image/jpeg", "jpg")
    assert reopened(photo.content).format == "JPEG"


def test_transparent_png_stays_png_with_its_transparency():
    image = Image.new("RGBA", (40, 30), (0, 0, 0, 0))

    photo = clean_photo(upload(encoded(image, "PNG")))

    assert (photo.content_type, photo.extension) == ("image/png", "png")
    assert reopened(photo.content).getpixel((0, 0))[3] == 0


def test_webp_is_accepted_and_stored_as_jpeg():
    photo = clean_photo(upload(encoded(noisy((50, 40)), "WEBP"), name="x.webp"))

    assert photo.content_type == "image/jpeg"
    assert (photo.width, photo.height) == (50, 40)


def test_photo_is_judged_by_content_not_by_name_or_declared_type():
    data = encoded(noisy((20, 20)), "PNG")

    photo = clean_photo(SimpleUploadedFile("notes.txt", data, content_type="text/plain"))

    assert photo.width == 20


def test_phone_jpeg_with_a_second_picture_keeps_the_first():
    # Many phones write MPO: the photo, then a preview or depth map, in one JPEG file.
    photo_frame, depth_map = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (20, 15))
    data = encoded(photo_frame, "MPO", save_all=True, append_images=[depth_map])

    photo = clean_photo(upload(data))

    assert (photo.width, photo.height) == (40, 30)
    assert reopened(photo.content).getpixel((20, 15))[0] > 200


def test_plain_stream_is_accepted():
    photo = clean_photo(io.BytesIO(encoded(noisy((20, 10)), "JPEG")))

    assert (photo.width, photo.height) == (20, 10)


def test_upload_already_read_by_a_form_is_read_again_from_the_start():
    file = upload(encoded(noisy((20, 10)), "JPEG"))
    file.read()

    assert clean_photo(file).width == 20


def test_sixteen_bit_greyscale_png_keeps_its_tones():
    image = Image.new("I;16", (8, 8), 40000)  # about 61% of full scale

    photo = clean_photo(upload(encoded(image, "PNG")))

    assert 150 <= reopened(photo.content).getpixel((0, 0)) <= 160


def test_cmyk_jpeg_is_stored_as_rgb():
    photo = clean_photo(upload(encoded(Image.new("CMYK", (16, 16), (0, 255, 255, 0)), "JPEG")))

    assert reopened(photo.content).mode == "RGB"


# What is refused ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Meet me behind the shop at nine.", id="text named .jpg"),
        pytest.param(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", id="pdf"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>', id="svg"
        ),
        pytest.param(b"", id="empty"),
        pytest.param(encoded(Image.new("P", (10, 10)), "GIF"), id="gif"),
        pytest.param(encoded(Image.new("RGB", (10, 10)), "BMP"), id="bmp"),
        pytest.param(encoded(Image.new("RGB", (10, 10)), "TIFF"), id="tiff"),
    ],
)
def test_anything_but_jpeg_png_or_webp_is_refused(data):
    error = refusal(data)

    assert error.code == "not_a_photo"
    assert error.field == "photos"
    assert error.message == (
        "This file is not a photo we can accept: use a JPEG, PNG or WebP image."
    )


def test_refusal_names_the_field_the_caller_gives():
    assert refusal(b"not an image", field="tip_photos").field == "tip_photos"


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_animation_is_refused(image_format):
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    data = encoded(frames[0], image_format, save_all=True, append_images=frames[1:])

    assert refusal(data).code == "animated"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_truncated_file_is_refused(image_format):
    data = encoded(noisy((200, 200)), image_format)

    assert refusal(data[: len(data) // 2]).code == "damaged"


# Limits -----------------------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_after_reading_one_byte_past_it():
    data = encoded(noisy((200, 200)), "PNG")
    stream = ReadCounter(data)

    with override_settings(REPORT_PHOTO_MAX_BYTES=1000), pytest.raises(DomainError) as raised:
        clean_photo(stream)

    assert raised.value.code == "too_large"
    assert raised.value.message == "This photo is larger than 1000\xa0bytes."
    assert stream.bytes_read == 1001


def test_file_exactly_at_the_size_limit_is_accepted():
    data = encoded(noisy((30, 30)), "JPEG")

    with override_settings(REPORT_PHOTO_MAX_BYTES=len(data)):
        assert clean_photo(upload(data)).width == 30


def test_default_size_limit_is_ten_megabytes():
    error = refusal(b"\xff" * (10 * 1024 * 1024 + 1))

    assert error.code == "too_large"
    assert error.message == "This photo is larger than 10.0\xa0MB."


def test_too_many_pixels_is_refused_from_the_header_without_decoding(monkeypatch):
    decoded = []
    real_load = ImageFile.ImageFile.load

    def spy_load(self):
        decoded.append(self)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy_load)
    data = encoded(noisy((20, 20)), "JPEG")

    with override_settings(REPORT_PHOTO_MAX_PIXELS=399):
        error = refusal(data)

    assert error.code == "too_many_pixels"
    assert decoded == []


def test_photo_at_the_pixel_limit_is_accepted():
    with override_settings(REPORT_PHOTO_MAX_PIXELS=400):
        assert clean_photo(upload(encoded(noisy((20, 20)), "JPEG"))).width == 20


def test_header_over_the_default_pixel_limit_is_refused_before_decoding():
    # 50 megapixels claimed by a file of a few dozen bytes: decoding would fail as
    # "damaged", so "too_many_pixels" shows the header alone was enough.
    error = refusal(png_header_only(10_000, 5_000))

    assert error.code == "too_many_pixels"
    assert "40 megapixels" in error.message


def test_decompression_bomb_is_refused():
    error = refusal(png_header_only(100_000, 100_000))

    assert error.code == "too_many_pixels"


def test_pixel_check_does_not_change_pillows_global_limit():
    before = Image.MAX_IMAGE_PIXELS

    with override_settings(REPORT_PHOTO_MAX_PIXELS=10):
        refusal(encoded(noisy((20, 20)), "JPEG"))

    assert before == Image.MAX_IMAGE_PIXELS


# Orientation and size ---------------------------------------------------------------------


def test_exif_orientation_is_applied_before_the_tag_is_dropped():
    # Stored landscape, left half red; orientation 6 means "turn 90 degrees clockwise to
    # view", which puts the red half on top.
    stored = Image.new("RGB", (80, 40), "blue")
    stored.paste("red", (0, 0, 40, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6

    photo = clean_photo(upload(encoded(stored, "JPEG", exif=exif, quality=95)))

    assert (photo.width, photo.height) == (40, 80)
    image = reopened(photo.content)
    red, _green, blue = image.getpixel((20, 10))
    assert red > 200 and blue < 60
    assert ORIENTATION not in image.getexif()


def test_large_photo_is_scaled_down_to_the_default_long_edge():
    photo = clean_photo(upload(encoded(Image.new("RGB", (4096, 1024), "grey"), "JPEG")))

    assert (photo.width, photo.height) == (2048, 512)
    assert reopened(photo.content).size == (2048, 512)


@override_settings(REPORT_PHOTO_MAX_EDGE=100)
def test_long_edge_limit_comes_from_settings_and_keeps_the_aspect_ratio():
    photo = clean_photo(upload(encoded(noisy((300, 400)), "PNG")))

    assert (photo.width, photo.height) == (75, 100)


@override_settings(REPORT_PHOTO_MAX_EDGE=100)
def test_small_photo_is_not_enlarged():
    photo = clean_photo(upload(encoded(noisy((60, 30)), "JPEG")))

    assert (photo.width, photo.height) == (60, 30)


# Several photos ---------------------------------------------------------------------------


def test_up_to_five_photos_are_cleaned_in_order():
    uploads = [upload(encoded(noisy((10 + n, 10)), "JPEG")) for n in range(MAX_PHOTOS_PER_REPORT)]

    photos = clean_photos(uploads)

    assert [photo.width for photo in photos] == [10, 11, 12, 13, 14]


def test_more_than_five_photos_are_refused():
    uploads = [upload(encoded(noisy((10, 10)), "JPEG")) for _ in range(MAX_PHOTOS_PER_REPORT + 1)]

    with pytest.raises(DomainError) as raised:
        clean_photos(uploads, field="attachments")

    assert raised.value.code == "too_many_photos"
    assert raised.value.field == "attachments"
    assert raised.value.message == "You can attach at most 5 photos."


def test_one_bad_photo_refuses_the_set():
    uploads = [upload(encoded(noisy((10, 10)), "JPEG")), upload(b"not a photo")]

    with pytest.raises(DomainError) as raised:
        clean_photos(uploads)

    assert raised.value.code == "not_a_photo"
