"""Uploads over the size limit are never stored, not even in a temporary file.

The request body still has to be read (the CSRF token and the other fields travel in
it, and browsers show a reset connection when a server answers before reading), but
the first upload handler tells the multipart parser to skip every file of a body
longer than ``ACTLOCAL_MAX_UPLOAD_MB``; the view then answers with its own message
("the limit is N MB") from the declared length.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


def max_upload_bytes() -> int:
    return int(settings.ACTLOCAL_MAX_UPLOAD_MB) * 1024 * 1024


class UploadLimitHandler(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``: skips the files of an oversized body."""

    over_limit = False

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, str],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.over_limit = content_length > max_upload_bytes()

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        if self.over_limit:
            raise SkipFile  # the parser discards this file's bytes as it reads them
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
