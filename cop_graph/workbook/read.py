"""Reading a workbook safely: an XLSX file, a folder of CSV files, or a zip of CSV files.

Uploads come from anyone with an account and files come from anywhere, so nothing is
opened before it has been sized up: the file's size against the upload limit, then, for
anything zipped (an XLSX file is a zip too), the *uncompressed* size of every entry as the
zip's directory declares it. A 400 KB XLSX file can expand to 400 MB and openpyxl would
load it all; Python's zip reader never returns more than an entry's declared size, so
checking the declared sizes first is enough. Password-protected, damaged and old-format
files get a sentence saying what to do, never a traceback.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path, PurePosixPath

from cop_graph.workbook.report import ImportRejected, Problem
from cop_graph.workbook.tables import Workbook

__all__ = [
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_ZIP_ENTRIES",
    "read_workbook",
]

#: the most a zipped workbook may expand to; a full template with 10,000 rows is ~15 MB
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
#: the most files a zip may hold (a workbook has a few dozen parts)
MAX_ZIP_ENTRIES = 500
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted XLSX and old .xls files
_ZIP_MAGIC = b"PK\x03\x04"
_SAVE_AS = "open it in Excel (or LibreOffice) and save it again as an .xlsx workbook"


def read_workbook(
    source: Path | str | bytes, *, filename: str | None = None, max_bytes: int = 20 * 1024 * 1024
) -> Workbook:
    """Read ``source`` (a path to a file or folder, or the bytes of an upload).

    Returns the data sheets with any problems in them; raises :class:`ImportRejected` when
    the file as a whole cannot be read (too big, not a workbook, damaged, protected).
    """
    if isinstance(source, bytes):
        name = filename or "the upload"
        return _read_bytes(source, name, max_bytes)
    path = Path(source)
    name = filename or path.name
    if path.is_dir():
        return _read_folder(path, name, max_bytes)
    if not path.is_file():
        _reject(f'there is no file or folder called "{path}"', name)
    size = path.stat().st_size
    _check_size(size, max_bytes, name)
    return _read_bytes(path.read_bytes(), name, max_bytes)


def _reject(message: str, source: str):
    raise ImportRejected([Problem(message)], source=source)


def _check_size(size: int, max_bytes: int, source: str) -> None:
    if size > max_bytes:
        _reject(
            f"the file is {_megabytes(size)}; the largest accepted is {_megabytes(max_bytes)}: "
            "split the workbook into smaller ones",
            source,
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_bytes(data: bytes, name: str, max_bytes: int) -> Workbook:
    _check_size(len(data), max_bytes, name)
    if not data.strip():
        _reject("the file is empty", name)
    if data.startswith(_OLE_MAGIC):
        _reject(
            "the file is password-protected, or in the old Excel 97-2003 (.xls) format: "
            f"remove the password, then {_SAVE_AS}",
            name,
        )
    if data.startswith(_ZIP_MAGIC):
        with _open_zip(data, name) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return _read_xlsx(data, name)
            return _read_zipped_csv(archive, name)
    if name.lower().endswith(".csv"):
        workbook = Workbook(name)
        workbook.add_sheet(PurePosixPath(name).stem, _csv_rows(data, name))
        return workbook
    _reject(
        "this is not a workbook: upload an .xlsx file or a .zip of .csv files (one per sheet)",
        name,
    )


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    """Open a zip's directory (nothing is decompressed) and refuse anything suspicious."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        _reject(f"the file is damaged and cannot be opened: {_SAVE_AS}", name)
    if len(entries) > MAX_ZIP_ENTRIES:
        _reject(
            f"the zip holds {len(entries):,} files; at most {MAX_ZIP_ENTRIES} are accepted", name
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        _reject(f"the file is password-protected: remove the password, then {_SAVE_AS}", name)
    expanded = sum(entry.file_size for entry in entries)
    if expanded > MAX_UNCOMPRESSED_BYTES:
        _reject(
            f"the file would expand to {_megabytes(expanded)} when opened; at most "
            f"{_megabytes(MAX_UNCOMPRESSED_BYTES)} is accepted, so it was not opened",
            name,
        )
    return archive


def _read_xlsx(data: bytes, name: str) -> Workbook:
    import openpyxl

    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception:  # noqa: BLE001 - a damaged file can fail in many ways inside openpyxl
        _reject(f"the workbook is damaged and cannot be opened: {_SAVE_AS}", name)
    workbook = Workbook(name)
    try:
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # do not trust the size the file claims
            rows, formulas = [], set()
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                values = []
                for position, cell in enumerate(cells, start=1):
                    if getattr(cell, "data_type", None) == "f":
                        formulas.add((number, position))
                    values.append(getattr(cell, "value", None))
                rows.append(values)
            workbook.add_sheet(sheet.title, rows, formulas=formulas)
    except ImportRejected:
        raise
    except Exception:  # noqa: BLE001 - as above, while the rows are read
        _reject(f"part of the workbook is damaged and cannot be read: {_SAVE_AS}", name)
    finally:
        book.close()
    return workbook


def _read_zipped_csv(archive: zipfile.ZipFile, name: str) -> Workbook:
    workbook = Workbook(name)
    found = False
    for entry in archive.infolist():
        path = PurePosixPath(entry.filename)
        if entry.is_dir() or "__MACOSX" in path.parts or path.suffix.lower() != ".csv":
            continue
        found = True
        try:
            data = archive.read(entry)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            _reject(f'"{path.name}" inside the zip is damaged: make the zip again', name)
        workbook.add_sheet(path.stem, _csv_rows(data, path.name))
    if not found:
        _reject("the zip holds no .csv files: put one .csv file per sheet in it", name)
    return workbook


def _read_folder(folder: Path, name: str, max_bytes: int) -> Workbook:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
    if not files:
        _reject("the folder holds no .csv files: save one .csv file per sheet in it", name)
    _check_size(sum(p.stat().st_size for p in files), max_bytes, name)
    workbook = Workbook(name)
    for path in files:
        workbook.add_sheet(path.stem, _csv_rows(path.read_bytes(), path.name))
    return workbook


def _csv_rows(data: bytes, name: str) -> list[list[str]]:
    """The rows of a CSV file saved as UTF-8 (with or without a BOM) or Windows-1252."""
    if b"\x00" in data:
        _reject(f'"{name}" is not a text file: save the sheet as CSV (UTF-8)', name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        _reject(
            f'"{name}" cannot be read as CSV (a cell may be far too long or a quote left '
            "open): save the sheet as CSV (UTF-8) again",
            name,
        )
