"""Where the project's data folders are, in a source checkout and in an installed wheel.

The folders ``ontology/``, ``shapes/``, ``data/`` and ``web/`` sit at the top of the
repository; a wheel ships them inside the package (``cop_graph/ontology`` …, see
``pyproject.toml``). Looking in both places keeps one code path for both layouts.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["folder", "ontology_files", "shapes_files", "reference_files", "demo_files"]

_PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``shapes``, ``data``, ``web``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the {name}/ folder is missing from this installation")


def _turtle_in(*parts: str) -> list[Path]:
    return sorted(folder(parts[0]).joinpath(*parts[1:]).glob("*.ttl"))


def ontology_files() -> list[Path]:
    """The Turtle files of the ontology and the framework's concept schemes."""
    return _turtle_in("ontology")


def shapes_files() -> list[Path]:
    """The trusted SHACL shapes: the only shapes validation ever uses."""
    return _turtle_in("shapes")


def reference_files() -> list[Path]:
    """The generated reference data about Greater Manchester."""
    return _turtle_in("data", "reference")


def demo_files() -> list[Path]:
    """The illustrative demo dataset."""
    return _turtle_in("data", "demo")
