"""Reading partners' spreadsheets (CSV in any encoding users meet, XLSX) into text rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from actlocal.common.uploads import max_upload_bytes


class UnreadableFile(Exception):
    """The file cannot be read at all; nothing is stored."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # data rows, as text, padded to the header width
    encoding: str = ""


def check_size(size: int) -> None:
    if size > max_upload_bytes():
        raise UnreadableFile(
            _(
                "The file is %(size).1f MB; the limit is %(limit)d MB. "
                "Split it and upload the parts."
            )
            % {"size": size / 1024 / 1024, "limit": settings.ACTLOCAL_MAX_UPLOAD_MB}
        )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ids and ZIPs stay "1001", never "1001.0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("This is not a CSV or XLSX file (it contains binary data)."))
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if not text.strip():
        raise UnreadableFile(_("The file is empty."))
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise UnreadableFile(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    return _table(rows, encoding)


def _read_xlsx(data: bytes) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise UnreadableFile(
            _("The XLSX file cannot be opened: %(error)s") % {"error": exc}
        ) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _table(rows, "xlsx")


def _table(rows: list[list[str]], encoding: str) -> Table:
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise UnreadableFile(_("The file is empty."))
    headers = rows[0]
    while headers and not headers[-1]:
        headers = headers[:-1]
    if not any(headers):
        raise UnreadableFile(_("The first row must name the columns; it is blank."))
    seen: dict[str, int] = {}
    for position, header in enumerate(headers, start=1):
        key = header.strip().lower()
        if key and key in seen:
            raise UnreadableFile(
                _('The column "%(name)s" appears twice (columns %(first)d and %(second)d).')
                % {"name": header, "first": seen[key], "second": position}
            )
        seen[key] = position
    width = len(headers)
    body = [(row + [""] * width)[:width] for row in rows[1:]]
    return Table(headers=headers, rows=body, encoding=encoding)


def read_table(path: Path, *, filename: str = "") -> Table:
    """Read a CSV or XLSX file. Raises UnreadableFile with a user-facing reason."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(_("The file cannot be opened: %(error)s") % {"error": exc}) from exc
    check_size(size)
    data = path.read_bytes()
    name = (filename or path.name).lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if name.endswith(".xls"):
        raise UnreadableFile(_("Old Excel .xls files are not supported; save as .xlsx or CSV."))
    return _read_csv(data)
