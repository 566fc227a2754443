"""A body over ACTLOCAL_MAX_UPLOAD_MB: its fields are parsed, its files never stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory


def _post(size: int) -> Any:
    upload = SimpleUploadedFile("players.csv", b"Name\n" + b"x" * size)
    return RequestFactory().post("/upload/", {"source": "Partner", "file": upload})


def test_an_oversized_body_keeps_its_fields_and_stores_no_file(
    settings: Any, tmp_path: Path
) -> None:
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything bigger would go to a temp file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    request = _post(1024 * 1024 + 10)
    assert request.POST["source"] == "Partner"  # the CSRF token travels the same way
    assert "file" not in request.FILES
    assert list(tmp_path.iterdir()) == []


def test_a_body_under_the_limit_keeps_its_file(settings: Any, tmp_path: Path) -> None:
    settings.ACTLOCAL_MAX_UPLOAD_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    request = _post(1024 * 1024 - 1000)
    upload = request.FILES["file"]
    assert upload.size == 1024 * 1024 - 1000 + len(b"Name\n")
    assert len(list(tmp_path.iterdir())) == 1  # spooled to disk as usual
