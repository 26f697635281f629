"""What a new record changes for a community, in short lines a coordinator reads.

"added practice Health walks", "removed a member (Community keeper)", "renamed the community
to Halliwell walking group": shown before an upload is saved, after it, and in the history.
People are named only when their record says they agreed (``cop:publicProfile true``, as
:func:`cop_graph.scope.may_be_named` decides for pages), else by their role alone: the lines
are shown to coordinators and kept in the history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Graph, URIRef

from cop_graph.namespaces import COP, FOAF, ORG, RDF, RDFS
from cop_graph.scope import gave_consent

__all__ = ["Namer", "describe"]

#: how a change to a community's own links reads: "added practice Health walks"
LINK_WORDS = {
    COP.sharesPractice: "practice",
    COP.hasDomain: "domain",
    COP.operatesIn: "place",
    COP.adoptsPrinciple: "principle",
    COP.alignsWithChapter: "Blueprint chapter",
    COP.meetsIn: "space",
    COP.pursuesAim: "aim",
    COP.hasNorm: "norm",
}
#: how a thing of the record reads, by its type ("" for its own label alone)
KIND_WORDS = {
    COP.StepAssessment: "",
    COP.Outcome: "outcome",
    COP.Observation: "observation",
    COP.Event: "event",
    COP.Resource: "resource",
}

#: the properties a thing's name is read from (its kind, label, name and consent)
_NAMING = frozenset({RDF.type, RDFS.label, FOAF.name, COP.publicProfile})


class Namer:
    """Names things as the new data gives them, else as the store does (each read once)."""

    def __init__(self, store, data: Iterable):
        self.store = store
        self.stated: dict = defaultdict(list)
        read = _NAMING  # only the facts naming reads are kept: an import has 60,000 facts
        for s, p, o in data:
            if p in read:
                self.stated[s].append((p, o))
        self._stored: dict = {}

    def _given(self, thing, *predicates) -> list:
        return [o for p, o in self.stated.get(thing, ()) if p in predicates]

    def look_up(self, things: Iterable) -> None:
        """Read what the store says of many things in one go (a workbook names a thousand
        communities: one read each would cost more than the rest of the naming)."""
        wanted = [t for t in things if isinstance(t, URIRef) and t not in self._stored]
        if wanted:
            facts = self.store.outgoing(wanted)
            self._stored.update(dict.fromkeys(wanted, facts))

    def _in_store(self, thing) -> Graph:
        if thing not in self._stored:
            self._stored[thing] = self.store.outgoing([thing])
        return self._stored[thing]

    def name(self, thing) -> str | None:
        """``thing``'s label (a person's only with their consent), or None."""
        if not isinstance(thing, URIRef):
            return str(thing) if thing is not None else None
        if FOAF.Person in self._given(thing, RDF.type) or (
            (thing, RDF.type, FOAF.Person) in self._in_store(thing)
        ):
            return self.person_name(thing)
        # the new data's name first: the store may still hold the one it replaces
        label = (
            self._given(thing, RDFS.label) or [self._in_store(thing).value(thing, RDFS.label)]
        )[0]
        return str(label) if label is not None else None

    def person_name(self, person) -> str | None:
        """A person's name, only when their record says they agreed to be named."""
        stored = self._in_store(person)
        consent = self._given(person, COP.publicProfile) or list(
            stored.objects(person, COP.publicProfile)
        )
        if not consent or not all(gave_consent(value) for value in consent):
            return None
        given = self._given(person, RDFS.label, FOAF.name)
        label = (given or [stored.value(person, RDFS.label) or stored.value(person, FOAF.name)])[0]
        return str(label) if label is not None else None


def describe(namer: Namer, community: URIRef, old: set, new: set) -> list[str]:
    """What changed from ``old`` to ``new`` (two records of ``community``), in short lines."""
    label = namer.name(community) or "the community"
    if not any(s == community for s, _, _ in old):
        return [f"added community {label}"]
    lines = []
    old_names = {o for s, p, o in old if s == community and p == RDFS.label}
    new_names = {o for s, p, o in new if s == community and p == RDFS.label}
    if new_names and old_names != new_names:
        lines.append(f"renamed the community to {label}")
    for verb, facts in (("added", new - old), ("removed", old - new)):
        changed = set()
        for s, p, o in sorted(facts):
            if s != community or p == RDFS.label:
                continue
            if p in LINK_WORDS:
                lines.append(f"{verb} {LINK_WORDS[p]} {namer.name(o) or o}")
            else:
                changed.add(str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        if verb == "added":
            lines += [f"changed {word}" for word in sorted(changed)]
    known = Graph()
    for triple in old | new:
        known.add(triple)
    old_things = {s for s, _, _ in old} - {community}
    new_things = {s for s, _, _ in new} - {community}
    for verb, things in (("added", new_things - old_things), ("removed", old_things - new_things)):
        lines += sorted(f"{verb} {_thing(namer, known, thing)}" for thing in things)
    old_facts, new_facts = _by_subject(old), _by_subject(new)
    for thing in sorted(old_things & new_things):
        if old_facts[thing] != new_facts[thing]:
            lines.append(f"changed {_thing(namer, known, thing)}")
    return lines


def _by_subject(triples: set) -> dict:
    grouped: dict = defaultdict(set)
    for triple in triples:
        grouped[triple[0]].add(triple)
    return grouped


def _thing(namer: Namer, known: Graph, thing) -> str:
    kinds = set(known.objects(thing, RDF.type))
    if ORG.Membership in kinds:
        member = known.value(thing, ORG.member)
        role = known.value(thing, ORG.role)
        role_name = namer.name(role) if role is not None else None
        who = namer.name(member) if member is not None else None  # people: with consent
        said = f"member {who}" if who else "a member"
        return f"{said} ({role_name})" if role_name else said
    word = next((KIND_WORDS[k] for k in kinds if k in KIND_WORDS), "item")
    name = namer.name(thing) or ""
    return f"{word} {name}".strip() or "item"
