"""Uploaded files of campaigns (logos, shared documents): type by content, size by setting.

The extension alone proves nothing: each kind is recognized from its first
bytes (and, for Office files, from the parts inside the ZIP container).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actlocal.common.uploads import max_upload_bytes


class UploadRefused(Exception):
    """The file is refused; ``str(exc)`` says why, for the user."""


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extension: str


PNG = Kind("PNG", "image/png", "png")
JPEG = Kind("JPEG", "image/jpeg", "jpg")
WEBP = Kind("WebP", "image/webp", "webp")
PDF = Kind("PDF", "application/pdf", "pdf")
DOCX = Kind(
    "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
)
XLSX = Kind("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = Kind(
    "PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"
)
TXT = Kind("TXT", "text/plain; charset=utf-8", "txt")

IMAGE_KINDS = (PNG, JPEG, WEBP)
DOCUMENT_KINDS = (PDF, DOCX, XLSX, PPTX, PNG, JPEG, TXT)
# Extensions people use for each kind; anything else is refused before sniffing.
_EXTENSIONS = {
    "png": PNG,
    "jpg": JPEG,
    "jpeg": JPEG,
    "webp": WEBP,
    "pdf": PDF,
    "docx": DOCX,
    "xlsx": XLSX,
    "pptx": PPTX,
    "txt": TXT,
}
_OFFICE_PARTS = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", PPTX: "ppt/presentation.xml"}
_SNIFF_BYTES = 8192


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        raise UploadRefused(
            _("The file is %(size).1f MB; the limit is %(limit)d MB.")
            % {"size": size / 1024 / 1024, "limit": settings.ACTLOCAL_MAX_UPLOAD_MB}
        )


def _sniff(head: bytes, stream: IO[bytes]) -> Kind | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names:
            for kind, part in _OFFICE_PARTS.items():
                if part in names:
                    return kind
        return None
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start < len(head) - 4:
                return None
        return TXT
    return None


def identify(*, name: str, stream: IO[bytes], size: int, allowed: tuple[Kind, ...]) -> Kind:
    """The kind of an uploaded file, or ``UploadRefused`` naming the problem."""
    check_size(size)
    names = ", ".join(dict.fromkeys(k.label for k in allowed))
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    claimed = _EXTENSIONS.get(extension)
    if claimed is None or claimed not in allowed:
        raise UploadRefused(
            _("Files of type “%(ext)s” are not accepted. Accepted: %(kinds)s.")
            % {"ext": extension or _("no extension"), "kinds": names}
        )
    stream.seek(0)
    head = stream.read(_SNIFF_BYTES)
    if not head:
        raise UploadRefused(_("The file is empty."))
    found = _sniff(head, stream if hasattr(stream, "seek") else io.BytesIO(head))
    stream.seek(0)
    if found != claimed:
        raise UploadRefused(
            _("The file is named .%(ext)s but its contents are not %(kind)s.")
            % {"ext": extension, "kind": claimed.label}
        )
    return found


def safe_filename(title: str, kind: Kind) -> str:
    """A download name with no path, quotes or control characters."""
    stem = slugify(title)[:80] or "document"
    return f"{stem}.{kind.extension}"


def kind_for_content_type(content_type: str) -> Kind | None:
    for kind in (*DOCUMENT_KINDS, WEBP):
        if kind.content_type == content_type:
            return kind
    return None
