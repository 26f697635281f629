"""Reading single cells: dates (ISO and UK, nothing ambiguous), yes/no, numbers, addresses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from cop_graph.workbook.values import (
    CellProblem,
    cell_text,
    parse_code,
    parse_date,
    parse_email,
    parse_number,
    parse_web_address,
    parse_yes_no,
    several,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-31", date(2024, 3, 31)),
        ("31/03/2024", date(2024, 3, 31)),
        ("3/4/2024", date(2024, 4, 3)),  # UK: day first
        ("03/04/2024", date(2024, 4, 3)),
        ("2024-03-31T00:00:00", date(2024, 3, 31)),
        (datetime(2024, 3, 31), date(2024, 3, 31)),  # a date cell of a spreadsheet
        (date(2024, 3, 31), date(2024, 3, 31)),
    ],
)
def test_iso_and_uk_dates_are_read(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("03/04/24", "more than one way"),
        ("03-04-2024", "more than one way"),
        ("03.04.2024", "more than one way"),
        ("04/13/2024", "month-first"),
        ("31/02/2024", "not a real date"),
        ("March 2024", "is not a date"),
        ("45382", "is not a date"),  # a spreadsheet's day number typed as text
        ("2024-3-31", "is not a date"),
        ("01/01/1066", "not a likely year"),
    ],
)
def test_other_and_ambiguous_dates_are_refused_with_the_accepted_forms(raw, reason):
    with pytest.raises(CellProblem, match=reason) as caught:
        parse_date(raw)
    assert "2024-03-31 or 31/03/2024" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("no", False), ("n", False), ("0", False)],
)
def test_yes_and_no(text, expected):
    assert parse_yes_no(text) is expected


def test_anything_else_is_not_yes_or_no():
    with pytest.raises(CellProblem, match='"maybe" is not yes or no'):
        parse_yes_no("maybe")


def test_numbers_keep_how_they_were_written():
    assert str(parse_number("12.0")) == "12.0"
    assert parse_number("1,250") == Decimal("1250")
    for bad in ("twelve", "NaN", "Infinity", ""):
        with pytest.raises(CellProblem, match="is not a number"):
            parse_number(bad)


def test_web_and_email_addresses():
    assert parse_web_address(" https://example.org/a ") == "https://example.org/a"
    assert parse_email("mailto:sam@example.org") == "sam@example.org"
    with pytest.raises(CellProblem, match="starting with https://"):
        parse_web_address("javascript:alert(1)")
    with pytest.raises(CellProblem, match="name@example.org"):
        parse_email("sam at example")


def test_codes_are_capitals_without_spaces():
    assert parse_code("u65 316") == "U65316"
    with pytest.raises(CellProblem, match="only letters and digits"):
        parse_code("U65-316")


def test_several_values_are_separated_by_semicolons():
    assert several("Bolton; Wigan ;; ") == ["Bolton", "Wigan"]


def test_cell_text_shows_what_the_coordinator_sees():
    assert cell_text(42.0) == "42"
    assert cell_text(True) == "yes"
    assert cell_text(datetime(2024, 1, 2, 10, 30)) == "2024-01-02 10:30:00"
    assert cell_text("  Bolton ") == "Bolton"
