"""The data folders ship inside the wheel and are found there (STYLE.md packaging note)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("cop_graph-*.whl"))


def test_wheel_contains_the_data_folders(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "cop_graph/ontology/cop.ttl",
        "cop_graph/ontology/framework.ttl",
        "cop_graph/shapes/cop-shapes.ttl",
        "cop_graph/data/demo/demo.ttl",
        "cop_graph/web/__init__.py",
        "cop_graph/web/templates/base.html",
        "cop_graph/web/static/style.css",
        "cop_graph/queries/count_things.rq",
    ):
        assert expected in names, expected
    assert any(n.startswith("cop_graph/data/reference/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("cop_graph/queries/examples/") and n.endswith(".rq") for n in names)


def test_wheel_contains_every_python_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = [p.parent for p in (ROOT / "cop_graph").rglob("__init__.py")]
    for package in packages:
        inside = package.relative_to(ROOT).as_posix()
        assert f"{inside}/__init__.py" in names, f"{inside} is missing from the wheel"


def test_installed_wheel_finds_its_folders(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    probe = (
        "import cop_graph.resources as r;"
        "print(r.folder('web'));"
        "print(r.ontology_files()[0]); print(r.reference_files()[0])"
    )
    # -S: no site-packages, so the editable install of the checkout cannot answer instead
    result = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site")},
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stdout.splitlines():
        assert line.startswith(str(tmp_path / "site" / "cop_graph")), line
