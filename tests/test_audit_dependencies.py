"""The dependency audit of ``make test`` (``scripts/audit_dependencies.py``): what it checks,
and that it fails on a vulnerability but only skips, in one line, when it cannot ask."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _load_script():
    """The script as a module (scripts are not a package)."""
    path = REPO / "scripts" / "audit_dependencies.py"
    spec = importlib.util.spec_from_file_location("audit_dependencies", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


audit = _load_script()


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_the_projects_requirements_are_audited_and_not_the_tools_beside_them():
    found = audit.installed_requirements()
    assert {"flask", "werkzeug", "rdflib", "pytest", "pip-audit", "platformdirs"} <= set(found)
    assert "cop-graph" not in found and "setuptools" not in found  # a tool of the venv
    assert "pyshacl-turbo" not in found  # the bench extra, for benchmarks only
    assert all(version[0].isdigit() for version in found.values())


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix():
    result = audit.verdict(
        1,
        report(
            {"name": "flask", "version": "3.1.0", "vulns": [
                {"id": "GHSA-4grg-w6v8-c28g", "fix_versions": ["3.1.1"], "aliases": []}]},
            {"name": "rdflib", "version": "7.6.0", "vulns": []},
        ),
        "",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "flask 3.1.0: GHSA-4grg-w6v8-c28g (fixed in 3.1.1)" in result.message


def test_no_vulnerability_passes_with_a_count():
    dependencies = [{"name": n, "version": "1.0", "vulns": []} for n in ("a", "b")]
    skipped = {"name": "c", "skip_reason": "Dependency not found on PyPI"}
    result = audit.verdict(0, report(*dependencies, skipped), "")
    assert result == audit.Verdict(
        0, "Dependency audit: 2 packages checked, no known vulnerabilities "
        "(1 not found at the source)."
    )  # fmt: skip


@pytest.mark.parametrize(
    ("returncode", "stdout", "stderr"),
    [
        (1, "", "ServiceError: Connection refused by pypi.org"),
        (1, "", "requests.exceptions.ReadTimeout: HTTPSConnectionPool read timed out."),
        (0, report({"name": "a", "skip_reason": "Dependency not found on PyPI"}), ""),
    ],
    ids=["refused", "timed out", "an index without advisories"],
)
def test_an_unreachable_advisory_source_skips_in_one_line(returncode, stdout, stderr):
    result = audit.verdict(returncode, stdout, stderr)
    assert result.exit_code == 0 and result.message.startswith("Dependency audit skipped: ")
    assert "\n" not in result.message


def test_another_failure_of_pip_audit_fails_the_audit():
    result = audit.verdict(2, "", "error: invalid requirement 'x=='")
    assert result.exit_code == 2 and "gave no report" in result.message


def test_the_probe_failing_skips_without_running_pip_audit(monkeypatch):
    def unreachable(*args, **kwargs):
        raise audit.requests.ConnectionError("no network")

    def must_not_run(*args, **kwargs):
        raise AssertionError("pip-audit ran although the source cannot be reached")

    monkeypatch.setattr(audit.requests, "get", unreachable)
    monkeypatch.setattr(audit.subprocess, "run", must_not_run)
    result = audit.audit()
    assert result == audit.skipped("the advisory source cannot be reached (ConnectionError)")
