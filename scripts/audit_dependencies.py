"""Check the project's dependencies against known vulnerabilities with pip-audit (``make test``).

What is checked: the installed versions of every package cop-graph needs, with its ``test``
extra, followed down their own requirements — not the tools that happen to share the virtual
environment (pip, setuptools). The advisory source is PyPI's vulnerability data, as pip-audit
reads it by default.

Offline-tolerant by design: where the advisory source cannot be reached (no network, or an
index that only mirrors packages), one line says the audit was skipped and why, and the
script succeeds; where it answers and any dependency has a known vulnerability, each is listed
with the versions that fix it, and the script fails (exit 1), so CI fails.

    python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import requests
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: the project, and the extras whose requirements are audited with it
PROJECT, EXTRAS = "cop-graph", ("test",)
#: what pip-audit asks (PyPI's JSON API, which carries each release's advisories)
ADVISORY_PROBE = "https://pypi.org/pypi/pip/json"
#: seconds to wait for the advisory source, per request
TIMEOUT = 15
#: words in pip-audit's error output that mean the source could not be reached
_UNREACHABLE = ("connection", "timed out", "timeout", "name resolution", "temporarily", "proxy")


@dataclass(frozen=True)
class Verdict:
    """What the audit says (one or more lines) and the exit code it ends with."""

    exit_code: int
    message: str


def skipped(reason: str) -> Verdict:
    return Verdict(0, f"Dependency audit skipped: {reason}.")


def installed_requirements(project: str = PROJECT, extras=EXTRAS) -> dict[str, str]:
    """Every installed package ``project`` (with ``extras``) needs, directly or not, by name,
    with its installed version; requirements whose markers do not hold here are left out,
    and so are packages that are not installed."""
    found: dict[str, str] = {}
    visited: set[tuple[str, frozenset]] = set()
    waiting = [(project, frozenset(extras))]
    while waiting:
        name, wanted = waiting.pop()
        if (canonicalize_name(name), wanted) in visited:
            continue
        visited.add((canonicalize_name(name), wanted))
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        found[canonicalize_name(distribution.metadata["Name"])] = distribution.version
        for line in distribution.requires or ():
            requirement = Requirement(line)
            environments = [{"extra": extra} for extra in wanted] or [{"extra": ""}]
            if requirement.marker is None or any(
                requirement.marker.evaluate(environment) for environment in environments
            ):
                waiting.append((requirement.name, frozenset(requirement.extras)))
    found.pop(canonicalize_name(project), None)
    return found


def verdict(returncode: int, stdout: str, stderr: str) -> Verdict:
    """The audit's outcome from pip-audit's exit code and JSON report.

    >>> verdict(0, '{"dependencies": [{"name": "a", "version": "1", "vulns": []}]}', "")
    Verdict(exit_code=0, message='Dependency audit: 1 package checked, no known vulnerabilities.')
    """
    try:
        report = json.loads(stdout)
        dependencies = report["dependencies"]
    except (ValueError, KeyError, TypeError):
        error = " ".join(stderr.strip().splitlines()[-3:]) or f"exit code {returncode}"
        if any(word in error.lower() for word in _UNREACHABLE):
            return skipped(f"the advisory source could not be reached ({error})")
        return Verdict(2, f"Dependency audit failed: pip-audit gave no report ({error}).")
    checked = [d for d in dependencies if "skip_reason" not in d]
    if dependencies and not checked:
        return skipped(
            "the advisory source answered for none of the "
            f"{len(dependencies)} packages (an index without vulnerability data?)"
        )
    vulnerable = [d for d in checked if d.get("vulns")]
    if vulnerable:
        lines = ["Dependency audit: known vulnerabilities in dependencies:"]
        for dependency in vulnerable:
            for vuln in dependency["vulns"]:
                fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
                lines.append(
                    f"  {dependency['name']} {dependency['version']}: {vuln['id']} "
                    f"(fixed in {fixed})"
                )
        lines.append("Raise the lower bounds in pyproject.toml past them and reinstall.")
        return Verdict(1, "\n".join(lines))
    packages = "1 package" if len(checked) == 1 else f"{len(checked)} packages"
    unchecked = len(dependencies) - len(checked)
    tail = f" ({unchecked} not found at the source)" if unchecked else ""
    return Verdict(0, f"Dependency audit: {packages} checked, no known vulnerabilities{tail}.")


def audit() -> Verdict:
    """Probe the advisory source, then run pip-audit on the installed requirements."""
    try:
        probe = requests.get(ADVISORY_PROBE, timeout=TIMEOUT)
    except requests.RequestException as error:
        return skipped(f"the advisory source cannot be reached ({type(error).__name__})")
    if probe.status_code != 200 or "vulnerabilities" not in probe.text:
        return skipped(
            f"the advisory source does not answer with vulnerability data "
            f"({ADVISORY_PROBE} gave HTTP {probe.status_code})"
        )
    pinned = installed_requirements()
    with tempfile.TemporaryDirectory(prefix="cop-graph-audit-") as folder:
        requirements = Path(folder) / "requirements.txt"
        requirements.write_text("".join(f"{n}=={v}\n" for n, v in sorted(pinned.items())))
        command = [sys.executable, "-m", "pip_audit", "--requirement", str(requirements)]
        command += ["--no-deps", "--disable-pip", "--progress-spinner", "off"]
        command += ["--format", "json", "--desc", "off", "--timeout", str(TIMEOUT)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    return verdict(done.returncode, done.stdout, done.stderr)


def main() -> int:
    result = audit()
    print(result.message, file=sys.stderr if result.exit_code else sys.stdout)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
