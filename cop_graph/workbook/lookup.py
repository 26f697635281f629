"""Finding what a cell refers to: a row of the workbook, or something already in the graph.

A coordinator writes "Bolton", "Astley Bridge", "U65316" or "p001"; this module turns that
into the IRI of the thing meant, or says why it cannot: nothing of that kind has that name
or ID (with a "did you mean" from the names that do exist), or several things do.

Lookups in the store use its indexes (an IRI, a code, an exact name), so resolving a
workbook's references costs the same in a small store and a large one. Only a name that is
not found that way (a different case, a typo) makes it read all the names of that kind.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Literal, URIRef

from cop_graph import queries
from cop_graph.files.ontology import ontology_graph
from cop_graph.ids import mint, slugify
from cop_graph.namespaces import COP, FOAF, ID, ORG, RDF, RDFS
from cop_graph.scope import Scope
from cop_graph.workbook.tables import did_you_mean
from cop_graph.workbook.values import CellProblem

__all__ = ["KINDS", "Resolver", "Thing"]

#: reference kind → (its name in messages, the class things of that kind have, IRI kind)
KINDS: dict[str, tuple[str, URIRef, str]] = {
    "community": ("community", COP.CommunityOfPurpose, "community"),
    "person": ("person", FOAF.Person, "person"),
    "organisation": ("organisation", ORG.Organization, "organisation"),
    "place": ("place", COP.Place, "place"),
    "ward": ("ward", COP.Ward, "place"),
    "practice": ("practice", COP.Practice, "practice"),
    "domain": ("domain", COP.Domain, "domain"),
    "indicator": ("indicator", COP.Indicator, "indicator"),
    "space": ("meeting space", COP.Space, "space"),
    "programme": ("programme", COP.Programme, "programme"),
}
#: the sheet where a coordinator adds a thing of each kind that is not yet recorded
SHEET_OF = {
    "community": "Communities",
    "person": "People",
    "organisation": "Organisations",
    "place": "Places",
    "ward": "Places",
    "practice": "Practices",
    "domain": "Domains",
    "indicator": "Indicators",
    "space": "Spaces",
}


@dataclass(frozen=True)
class Thing:
    """Something a reference can name: its IRI, its name and the kinds it counts as."""

    iri: URIRef
    label: str
    kinds: frozenset[str]

    @property
    def slug(self) -> str:
        """The last part of its IRI, used to build the IRIs of links to it."""
        return str(self.iri).rstrip("/").rsplit("/", 1)[-1]


def kinds_of(types: Iterable[URIRef]) -> frozenset[str]:
    """The reference kinds that things of ``types`` count as (a community is no organisation).

    >>> sorted(kinds_of([COP.Ward]))
    ['place', 'ward']
    """
    return _kinds_of(frozenset(types))


@lru_cache(maxsize=256)
def _kinds_of(types: frozenset[URIRef]) -> frozenset[str]:
    ontology = ontology_graph()
    classes = {
        broader for t in types for broader in ontology.transitive_objects(t, RDFS.subClassOf)
    }
    found = {kind for kind, (_, cls, _) in KINDS.items() if cls in classes}
    if "community" in found:
        found.discard("organisation")
    return frozenset(found)


def _noun(targets: tuple[str, ...]) -> str:
    return " or ".join(KINDS[t][0] for t in targets)


class Resolver:
    """Resolves references for one import: workbook rows first, then the store.

    ``exclude`` names the graphs being replaced (the earlier version of this workbook), whose
    things must not be found: they are about to disappear.
    """

    def __init__(self, store, exclude: Iterable[URIRef] = ()):
        self.store = store
        self.exclude = list(exclude)
        self._ids: dict[tuple[str, str], Thing] = {}
        self._names: dict[tuple[str, str], set[Thing]] = defaultdict(set)
        self._local: dict[URIRef, Thing] = {}
        self._by_iri: dict[URIRef, Thing | None] = {}
        self._by_text: dict[str, list[Thing]] = {}
        self._all_names: dict[str, list[Thing]] = {}
        self._scope: Scope | None = None

    # -- the workbook's own rows ------------------------------------------------------------

    def add_local(self, thing: Thing, ident: str | None) -> None:
        """Make a workbook row's thing findable by its ID and its name."""
        self._local[thing.iri] = thing
        for kind in thing.kinds:
            if ident:
                self._ids[(kind, ident.casefold())] = thing
            self._names[(kind, thing.label.casefold())].add(thing)

    def local(self, iri: URIRef) -> Thing | None:
        return self._local.get(iri)

    # -- finding ----------------------------------------------------------------------------

    def find(self, text: str, targets: tuple[str, ...]) -> Thing:
        """The one thing of a ``targets`` kind that ``text`` names, or a :class:`CellProblem`.

        A name followed by a code in brackets, as the template's drop-down lists write
        things that have one ("Brooklands (E05011356)"), is found by its code.
        """
        if (coded := _NAME_AND_CODE.match(text.strip())) and not self._names_exactly(text, targets):
            return self.find(coded.group("code"), targets)
        key = " ".join(text.split()).casefold()
        stages = (
            lambda: [self._ids[(k, key)] for k in targets if (k, key) in self._ids],
            lambda: [t for k in targets for t in self._names.get((k, key), ())],
            lambda: [self._local[i] for i in self._iris(text, targets) if i in self._local],
            lambda: self._stored(text, targets),
            lambda: [t for t in self._every(targets) if t.label.casefold() == key],
        )
        for stage in stages:
            found = {t.iri: t for t in stage() if t.kinds & set(targets)}
            if len(found) == 1:
                return next(iter(found.values()))
            if len(found) > 1:
                raise CellProblem(self._ambiguous(text, targets, list(found.values())))
        names = {t.label for t in self._every(targets)}
        names |= {t.label for (k, _), ts in self._names.items() if k in targets for t in ts}
        where = " or ".join(dict.fromkeys(SHEET_OF[t] for t in targets if t in SHEET_OF))
        advice = f" If it is new, add it to the {where} sheet." if where else ""
        raise CellProblem(
            f'"{text}" is not a {_noun(targets)} in this workbook or already recorded'
            f"{did_you_mean(text, names)}{advice}"
        )

    def _names_exactly(self, text: str, targets) -> bool:
        """Whether a row of the workbook is called ``text`` itself, brackets and all."""
        key = " ".join(text.split()).casefold()
        return any((k, key) in self._names or (k, key) in self._ids for k in targets)

    def prefetch(self, texts: Iterable[tuple[str, tuple[str, ...]]]) -> None:
        """Look up many references' IRIs at once (one pass over the store's index)."""
        wanted = {iri for text, targets in texts for iri in self._iris(text, targets)}
        self._fetch_iris(wanted - set(self._by_iri) - set(self._local))

    def recorded(self, iri: URIRef) -> Thing | None:
        """The thing ``iri`` names in the store, if it is recorded there."""
        if iri not in self._by_iri:
            self._fetch_iris([iri])
        return self._by_iri.get(iri)

    # -- helpers ----------------------------------------------------------------------------

    def _ambiguous(self, text, targets, things) -> str:
        listed = "; ".join(f'"{t.label}" (ID {t.slug})' for t in sorted(things, key=_key)[:5])
        return (
            f'"{text}" could mean {len(things)} different {_noun(targets)}s: {listed}. '
            "Write the ID of the one you mean instead."
        )

    def _iris(self, text: str, targets) -> list[URIRef]:
        text = text.strip()
        if text.startswith(("http://", "https://")):
            return [URIRef(text)] if " " not in text else []
        if not slugify(text):
            return []
        return list(dict.fromkeys(mint(KINDS[t][2], text) for t in targets))

    def _fetch_iris(self, iris) -> None:
        iris = [i for i in iris if str(i).startswith(str(ID))]
        if not iris:
            return
        facts = self.store.outgoing(iris, exclude=self.exclude)
        for iri in iris:
            types = list(facts.objects(iri, RDF.type))
            self._by_iri[iri] = (
                Thing(iri, _label(facts.value(iri, RDFS.label), iri), kinds_of(types))
                if types
                else None
            )

    def _stored(self, text: str, targets) -> list[Thing]:
        iris = self._iris(text, targets)
        self._fetch_iris([i for i in iris if i not in self._by_iri])
        found = [self._by_iri[i] for i in iris if self._by_iri.get(i) is not None]
        if found:
            return found
        if text not in self._by_text:
            rows = []
            code = text.strip().replace(" ", "").upper()
            if 3 <= len(code) <= 9 and code.isalnum() and any(c.isdigit() for c in code):
                rows += self._query("workbook_find_by_code", code=Literal(code))
            for name in (Literal(text.strip()), Literal(text.strip(), lang="en")):
                rows += self._query("workbook_find_by_name", wanted=name)
            self._by_text[text] = _things(rows)
        return self._by_text[text]

    def _every(self, targets) -> list[Thing]:
        """Every recorded thing of the ``targets`` kinds (read once per kind, when needed)."""
        everything = []
        for target in targets:
            if target not in self._all_names:
                rows = self._query("workbook_names_of_kind", kind=KINDS[target][1])
                self._all_names[target] = _things(rows)
            everything += self._all_names[target]
        return everything

    def _query(self, query_name: str, **bindings) -> list[dict]:
        if self._scope is None:
            # everything already recorded, people's names included (a workbook names people)
            self._scope = Scope.everything(self.store).without(self.exclude)
        return queries.run(self.store, query_name, scope=self._scope, **bindings).dicts()


#: "Name (CODE)": an ONS or ODS code has capitals and digits, at least one digit
_NAME_AND_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>(?=[A-Z0-9]*\d)[A-Z0-9]{3,9})\)$")


def _label(value, iri) -> str:
    return str(value) if value is not None else str(iri).rsplit("/", 1)[-1]


def _key(thing: Thing) -> str:
    return str(thing.iri)


def _things(rows: list[dict]) -> list[Thing]:
    types, labels = defaultdict(set), {}
    for row in rows:
        types[row["thing"]].add(row["type"])
        if "label" in row:
            labels.setdefault(row["thing"], row["label"])
    return [
        Thing(iri, _label(labels.get(iri), iri), kinds_of(kinds))
        for iri, kinds in types.items()
        if isinstance(iri, URIRef)
    ]
