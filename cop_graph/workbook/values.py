"""Reading single cells: dates, yes/no, numbers, web and email addresses, lists.

Every function either returns the value or raises :class:`CellProblem` with a sentence
that says what is wrong and how to write it instead. Dates are the tricky ones: ISO
(2024-03-31) and UK (31/03/2024) dates are accepted; anything that could be read two ways,
such as 03-04-24, is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

__all__ = [
    "CellProblem",
    "cell_text",
    "parse_code",
    "parse_date",
    "parse_past_date",
    "parse_email",
    "parse_number",
    "parse_web_address",
    "parse_yes_no",
    "several",
]

DATE_HELP = "write dates as 2024-03-31 or 31/03/2024"
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$")
_OTHER_SEPARATORS = re.compile(r"^\d{1,2}[.-]\d{1,2}[.-]\d{4}$")
_EMAIL = re.compile(r"^[^@\s;<>]+@[^@\s;<>]+\.[^@\s;<>]+$")
_WEB = re.compile(r"^https?://[^\s<>\"]+$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


class CellProblem(ValueError):
    """A cell's value cannot be used; the message says what to write instead."""


def cell_text(raw: object) -> str:
    """A cell's value as the text the coordinator sees.

    >>> cell_text(3.0), cell_text(12.5), cell_text(datetime(2024, 3, 31)), cell_text(None)
    ('3', '12.5', '2024-03-31', '')
    """
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        if raw.time() == datetime.min.time():
            return raw.date().isoformat()
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


def several(text: str) -> list[str]:
    """The values of a cell that holds several, separated by ``;`` (blanks dropped).

    >>> several(" Bolton ; ;Wigan;")
    ['Bolton', 'Wigan']
    """
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_date(raw: object) -> date:
    """A date from a date cell, an ISO date or a UK day/month/year date.

    >>> parse_date("31/03/2024"), parse_date("2024-03-31")
    (datetime.date(2024, 3, 31), datetime.date(2024, 3, 31))
    >>> parse_date("03-04-24")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_graph.workbook.values.CellProblem: "03-04-24" could be read in more than one way: ...
    """
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _UK.match(text):
        day, month, year = (int(part) for part in match.groups())
        if month > 12 and day <= 12:
            raise CellProblem(f'"{text}" looks like a month-first (American) date: {DATE_HELP}')
    elif _SHORT_YEAR.match(text) or _OTHER_SEPARATORS.match(text):
        raise CellProblem(f'"{text}" could be read in more than one way: {DATE_HELP}')
    else:
        raise CellProblem(f'"{text}" is not a date: {DATE_HELP}')
    try:
        value = date(year, month, day)
    except ValueError:
        raise CellProblem(f'"{text}" is not a real date: {DATE_HELP}') from None
    if not 1900 <= value.year <= 2100:
        raise CellProblem(f'"{text}" is not a likely year: {DATE_HELP}')
    return value


def parse_past_date(raw: object, *, today: date | None = None) -> date:
    """A date as :func:`parse_date` reads it, refused when it is after ``today``.

    A self-assessment says where a community stood on a day that has happened; a date in
    the future is a typo (a wrong year, day and month swapped), not a plan.

    >>> parse_past_date("2024-03-31", today=date(2025, 1, 1))
    datetime.date(2024, 3, 31)
    >>> parse_past_date("2025-01-02", today=date(2025, 1, 1))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_graph.workbook.values.CellProblem: "2025-01-02" is in the future: ...
    """
    value = parse_date(raw)
    today = today or date.today()
    if value > today:
        raise CellProblem(
            f'"{value.isoformat()}" is in the future: give the day the assessment was made, '
            f"{today.isoformat()} or earlier"
        )
    return value


def parse_yes_no(text: str) -> bool:
    """yes/no (also y/n, true/false, 1/0), any case.

    >>> parse_yes_no("Yes"), parse_yes_no("n")
    (True, False)
    """
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellProblem(f'"{text}" is not yes or no: write yes or no')


def parse_number(text: str) -> Decimal:
    """A decimal number; thousands separators and a trailing % are allowed.

    >>> parse_number("1,250.5"), parse_number("12%")
    (Decimal('1250.5'), Decimal('12'))
    """
    cleaned = text.strip().replace(",", "").removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise CellProblem(f'"{text}" is not a number: write a number such as 12.5') from None
    if not value.is_finite():
        raise CellProblem(f'"{text}" is not a number: write a number such as 12.5')
    return value


def parse_web_address(text: str) -> str:
    """A web address starting with http:// or https://."""
    address = text.strip()
    if not _WEB.match(address):
        raise CellProblem(
            f'"{text}" is not a web address: write it in full, starting with https://'
        )
    return address


def parse_email(text: str) -> str:
    """An email address (a leading ``mailto:`` is allowed)."""
    address = text.strip().removeprefix("mailto:")
    if not _EMAIL.match(address):
        raise CellProblem(f'"{text}" is not an email address: write it as name@example.org')
    return address


def parse_code(text: str) -> str:
    """An ODS or ONS code: capital letters and digits, spaces removed.

    >>> parse_code(" e05 014818 ")
    'E05014818'
    """
    code = re.sub(r"\s+", "", text).upper()
    if not code.isalnum():
        raise CellProblem(f'"{text}" is not a code: use only letters and digits')
    return code
