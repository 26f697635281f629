"""The table ``bench_engines.py`` prints: each engine's figures beside the embedded store's,
with the ratio to it, and every failure spelt out below the table rather than left out."""

from __future__ import annotations

import statistics

from engine_stores import Measured

__all__ = ["print_questions", "print_table"]

EMBEDDED = "embedded"


def cell(measured: Measured | None, scale: float) -> str:
    """A time (seconds × ``scale``), or what happened instead, for one table cell."""
    if measured is None:
        return "-"
    if measured.failure:
        return ">limit" if "limit" in measured.failure else "failed"
    return f"{measured.seconds * scale:,.1f}"


def _ratio(measured: Measured | None, base: Measured | None) -> str:
    if measured is None or base is None or measured.failure or base.failure:
        return "-"
    return f"{measured.seconds / base.seconds:.2f}×" if base.seconds else "-"


def print_table(names: list[str], rows: dict, questions: dict, pages: dict, memory: dict) -> None:
    """The figures of one size: loads, questions, pages, the analysis, memory and disk."""
    others = [name for name in names if name != EMBEDDED]
    header = f"{'':40}{EMBEDDED:>12}" + "".join(f"{name:>18}{'× embedded':>12}" for name in others)
    print("\n" + header)
    notes: list[str] = []

    def timed_row(title: str, by_engine: dict[str, Measured], scale: float) -> None:
        base = by_engine.get(EMBEDDED)
        line = f"{title:40}{cell(base, scale):>12}"
        for name in others:
            line += f"{cell(by_engine.get(name), scale):>18}{_ratio(by_engine.get(name), base):>12}"
        print(line)
        notes.extend(
            f"{name}, {title}: {measured.failure}"
            for name, measured in by_engine.items()
            if measured is not None and measured.failure
        )

    for title in ("bulk load (s)", "cop-graph load (s)"):
        timed_row(title, rows.get(title, {}), 1)
    _question_rows(names, questions, timed_row, notes)
    for kind, visits in pages.items():
        medians = {name: _median(measured) for name, measured in visits.items()}
        timed_row(f"{kind}, median first visit (ms)", medians, 1000)
    for title, by_engine in rows.items():
        if title.endswith("analysis (s)"):
            timed_row(title, by_engine, 1)
    for title, by_engine in memory.items():
        base = by_engine.get(EMBEDDED)
        line = f"{title:40}{_number(base):>12}"
        for name in others:
            value = by_engine.get(name)
            ratio = f"{value / base:.2f}×" if value and base else "-"
            line += f"{_number(value):>18}{ratio:>12}"
        print(line)
    for note in notes:
        print(f"  - {note}")


def _question_rows(names, questions: dict, timed_row, notes: list[str]) -> None:
    """The example questions in three rows: the median of each engine's times over the
    questions every engine answered, and the median and worst ratio to the embedded store."""
    names = [n for n in names if questions and all(n in b for b in questions.values())]
    if EMBEDDED not in names:
        return
    answered = [
        q for q, by_engine in questions.items() if all(not m.failure for m in by_engine.values())
    ]
    medians = {
        name: Measured(statistics.median(questions[q][name].seconds for q in answered))
        for name in names
        if answered
    }
    timed_row(f"questions, median of {len(answered)} all answered (ms)", medians, 1000)
    ratios_line = f"{'questions, ratio: median / worst':40}{'':>12}"
    for name in (n for n in names if n != EMBEDDED):
        ratios = {
            q: by_engine[name].seconds / by_engine[EMBEDDED].seconds
            for q, by_engine in questions.items()
            if not by_engine[name].failure and not by_engine[EMBEDDED].failure
            and by_engine[EMBEDDED].seconds
        }  # fmt: skip
        if ratios:
            worst = max(ratios, key=ratios.get)
            shown = f"{statistics.median(ratios.values()):.2f}× / {ratios[worst]:.1f}×"
            notes.append(f"{name}: worst question ratio {ratios[worst]:.1f}×: {_short(worst)}")
        else:
            shown = "-"
        ratios_line += f"{shown:>30}"
    print(ratios_line)
    for question, by_engine in questions.items():
        notes.extend(
            f"{name}, {_short(question)}: {measured.failure}"
            for name, measured in by_engine.items()
            if measured.failure
        )


def print_questions(names: list[str], questions: dict) -> None:
    """Each example question's median time on each engine (ms) and its ratio to embedded."""
    others = [name for name in names if name != EMBEDDED]
    print(f"\n{'question (ms)':44}{EMBEDDED:>10}" + "".join(f"{n:>18}{'×':>10}" for n in others))
    for question, by_engine in questions.items():
        base = by_engine.get(EMBEDDED)
        line = f"{_short(question):44}{cell(base, 1000):>10}"
        for name in others:
            line += f" {cell(by_engine.get(name), 1000):>17}{_ratio(by_engine.get(name), base):>10}"
        print(line)


def _median(visits: list[Measured]) -> Measured:
    """The median of first visits, or the first failure among them."""
    failed = [visit for visit in visits if visit.failure]
    if failed or not visits:
        return failed[0] if failed else Measured(failure="no page visited")
    return Measured(statistics.median(visit.seconds for visit in visits))


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _short(question: str) -> str:
    return question.split("/", 1)[1]
