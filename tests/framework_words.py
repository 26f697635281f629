"""The framework document's own words (``framework_terms.txt``), and the lint that uses them.

The list is copied from the document by hand, once; tests compare the graph with it, so a
term that claims the document as its source but says something the document does not, or a
list shown in another order than the document's, is caught. See the file's header for its
format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from cop_graph.namespaces import BIBO, COP, DCTERMS, PROV, RDFS, SKOS

TERMS_FILE = Path(__file__).with_name("framework_terms.txt")

#: properties whose values on a term taken from the document are the document's words
DOCUMENT_WORDS = (SKOS.prefLabel, RDFS.label, SKOS.definition, SKOS.scopeNote)
#: properties that may give the document's words when the label is the project's
OTHER_WORDS = (SKOS.altLabel, SKOS.definition, DCTERMS.title)


def normalise(text: str) -> str:
    """Words as compared: spaces collapsed, no closing full stop, colon or comma, and the
    first letter's case ignored (a label starts with a capital where the document's list
    item may not).

    >>> normalise("  Establish the norms and expectations. ")
    'establish the norms and expectations'
    >>> normalise("resources") == normalise("Resources")
    True
    """
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:,").rstrip()
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class DocumentWords:
    """The entries of the list file: by part of the document (its locator) and by list."""

    sections: dict[str, frozenset[str]]
    lists: dict[str, tuple[str, ...]]

    def has(self, text: str, section: str | None = None) -> bool:
        """Whether ``text`` is an entry, in ``section`` if given."""
        places = [self.sections.get(section, frozenset())] if section else self.sections.values()
        return any(normalise(text) in entries for entries in places)

    def ordered(self, name: str) -> list[str]:
        """The entries of the list ``name``, in the document's order."""
        return list(self.lists[name])


@cache
def document_words() -> DocumentWords:
    sections: dict[str, set[str]] = {}
    lists: dict[str, list[str]] = {}
    section, current = None, None
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            section, current = line.strip("= "), None
            sections[section] = set()
        elif line.startswith("-- "):
            name = line.strip("- ")
            assert name not in lists, f"two lists are called {name!r}"
            current = lists[name] = []
        else:
            sections[section].add(normalise(line))
            if current is not None:
                current.append(line)
    return DocumentWords(
        {k: frozenset(v) for k, v in sections.items()}, {k: tuple(v) for k, v in lists.items()}
    )


def _texts(graph: Graph, subject: URIRef, prop: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(subject, prop) if isinstance(o, Literal)]


def source_problems(graph: Graph, words: DocumentWords) -> list[str]:
    """What is wrong with the terms of ``graph`` that name the framework document as source.

    Each needs a locator naming a part of the document; its label, definition and scope notes
    must be the document's words from that part. A label the project chose instead (a short
    name, a singular) needs an editorial note saying so, and the document's words in an
    alternative label, the definition or the title.
    """
    problems = []
    for term in sorted(set(graph.subjects(DCTERMS.source, COP.FrameworkDocument))):
        locators = _texts(graph, term, BIBO.locator)
        if len(locators) != 1 or locators[0] not in words.sections:
            problems.append(f"{term} has no locator naming a part of the document: {locators}")
            continue
        part = locators[0]
        labels = _texts(graph, term, SKOS.prefLabel) or _texts(graph, term, RDFS.label)
        own_label = [label for label in labels if not words.has(label, part)]
        if own_label:
            others = [t for p in OTHER_WORDS for t in _texts(graph, term, p)]
            if not _texts(graph, term, SKOS.editorialNote):
                problems.append(f"{term}: the label {own_label} is not the document's and no "
                                "note says so")  # fmt: skip
            if not any(words.has(text, part) for text in others):
                problems.append(f"{term}: none of its words are the document's ({part})")
        for prop in (SKOS.definition, SKOS.scopeNote):
            for text in _texts(graph, term, prop):
                if not words.has(text, part):
                    problems.append(f"{term}: its {prop.split('#')[-1]} is not the document's "
                                    f"words ({part}): {text[:60]!r}")  # fmt: skip
    return problems


def attribution_problems(graph: Graph, terms) -> list[str]:
    """Terms that do not say whose they are: the document's, or the project's (never both)."""
    problems = []
    for term in sorted(terms):
        from_document = (term, DCTERMS.source, COP.FrameworkDocument) in graph
        by_project = (term, PROV.wasAttributedTo, COP.CopGraphProject) in graph
        if from_document == by_project:
            said = "both" if from_document else "neither"
            problems.append(f"{term} says {said} of: taken from the document, made by the project")
    return problems
