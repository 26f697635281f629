"""The validation benchmark's agreement check still runs, and still agrees, on a few cases.

``benchmarks/bench_validate.py`` compares SHACL engines with pyshacl on the shape test suite;
it is run by hand, so without this test a change to the shapes or to ``cop_graph.validate``
could quietly break it. The compiled checks the app runs always take part; the Rust engines
run when they are installed (the ``bench`` extra). No timing is asserted.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_validate  # noqa: E402

#: a valid case, then broken cases reaching sh:class, sh:node with sh:hasValue, sh:or,
#: sh:qualifiedValueShape, sh:pattern and sh:lessThanOrEquals
CASES = [
    "CommunityShape-valid",
    "MembershipShape-invalid-01",
    "PlaceShape-invalid-03",
    "WardShape-invalid-01",
    "GPPracticeShape-invalid-01",
    "EventShape-invalid-02",
]
_MODULES = {"pyshacl-turbo": "pyshacl_turbo", "shacl-rust": "shacl_rust",
            "shifty": "shifty", "rudof": "pyrudof"}  # fmt: skip


@pytest.fixture(scope="module")
def inputs():
    return bench_validate.suite_inputs(CASES)


def test_the_compiled_checks_give_pyshacls_results_in_the_harness(inputs):
    assert set(inputs) == set(CASES)
    table = bench_validate.agreement(inputs, ["sparql"])
    assert table["sparql"] == {case: "same" for case in CASES}


def test_invalid_cases_are_found_by_both(inputs):
    """Agreement on empty answers would prove nothing: the broken cases do report."""
    for case in CASES[1:]:
        assert bench_validate.run_pyshacl(inputs[case])
        assert bench_validate.run_sparql(inputs[case])


@pytest.mark.parametrize("engine", sorted(_MODULES))
def test_a_rust_engine_gives_pyshacls_results(engine, inputs):
    if importlib.util.find_spec(_MODULES[engine]) is None:
        pytest.skip(f"{engine} is not installed (pip install -e '.[bench]')")
    table = bench_validate.agreement(inputs, [engine])
    assert table[engine] == {case: "same" for case in CASES}
