"""Membership written the other ways W3C ORG and schema.org allow, rewritten in the project's form.

The project records that someone belongs to a community as a membership of its own
(``org:Membership`` with ``org:member``, ``org:organization`` and ``org:role``), because the
role is what the framework is about. Data from elsewhere often says the same thing more
briefly: ``person org:memberOf community``, ``community org:hasMembership m`` (the link from the
organisation's side) or ``community schema:member person``.

Those forms are rewritten here, before the data is checked, rather than taught to every shape,
query, page and analysis: one rewrite in the loader means everything downstream keeps reading
the one form it already knows, and the rules stay as strict as they are. The rewrite is
reported (one sentence per kind of change), so nobody is surprised to find memberships they
did not write. A membership given without a role is recorded as a plain member (``cop:Member``),
the role ORG's shortcut means. ``org:memberOf`` between two organisations that are not
communities (a GP practice in its primary care network) is the project's own form and is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from cop_graph.files.terms import Triple
from cop_graph.ids import mint
from cop_graph.namespaces import COP, ORG, RDF, SDO
from cop_graph.store import Store

__all__ = ["normalise_memberships"]


def _local(iri: URIRef) -> str:
    return str(iri).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _membership_iri(community: URIRef, member: URIRef) -> URIRef:
    """The same membership each time the same file is loaded, so reloading never doubles it."""
    return mint("membership", _local(community), _local(member))


def normalise_memberships(
    triples: Iterable[Triple], store: Store | None = None
) -> tuple[set[Triple], list[str]]:
    """``triples`` with every membership in the project's form, and what was rewritten.

    A thing the data links to without saying what it is counts as a community when ``store``
    says it is one (asked once, for all such things at the same time).

    >>> from rdflib import URIRef
    >>> from cop_graph.namespaces import COP, ORG, RDF
    >>> c, p = URIRef("https://w3id.org/cop-graph/id/community/walks"), URIRef("urn:p:1")
    >>> data, notes = normalise_memberships({(c, RDF.type, COP.CommunityOfPurpose),
    ...                                      (p, ORG.memberOf, c)})
    >>> notes  # doctest: +NORMALIZE_WHITESPACE
    ['1 membership written as org:memberOf recorded as a membership',
     '1 membership without a role recorded with the role member']
    >>> sorted(str(t[1]).rsplit("#", 1)[-1] for t in data if t[0] != c)
    ['member', 'organization', 'role', 'type']
    """
    data = set(triples)
    communities = _communities(data, store)
    with_organisation = {s for s, p, _ in data if p == ORG.organization}

    def community(node) -> bool:
        return node in communities

    counts = dict.fromkeys(_FORMS, 0)
    for s, p, o in list(data):
        if p == ORG.memberOf and community(o) and isinstance(s, URIRef):
            pair, form = (o, s), "org:memberOf"
        elif p == SDO.member and community(s) and isinstance(o, URIRef):
            pair, form = (s, o), "schema:member"
        elif p == ORG.hasMembership:
            data.discard((s, p, o))
            if o not in with_organisation:
                data.add((o, ORG.organization, s))
            data.add((o, RDF.type, ORG.Membership))
            counts["org:hasMembership"] += 1
            continue
        else:
            continue
        data.discard((s, p, o))
        membership = _membership_iri(*pair)
        data |= {
            (membership, RDF.type, ORG.Membership),
            (membership, ORG.organization, pair[0]),
            (membership, ORG.member, pair[1]),
        }
        counts[form] += 1
    with_role = {s for s, p, _ in data if p == ORG.role}
    without_role = {s for s, p, o in data if p == RDF.type and o == ORG.Membership} - with_role
    data |= {(membership, ORG.role, COP.Member) for membership in without_role}
    return data, _notes(counts, len(without_role))


def _communities(data: set[Triple], store: Store | None) -> set:
    typed = {s for s, p, o in data if p == RDF.type and o == COP.CommunityOfPurpose}
    linked = {o for _, p, o in data if p == ORG.memberOf} | {
        s for s, p, _ in data if p == SDO.member
    }
    unknown = {node for node in linked - typed if isinstance(node, URIRef)}
    if store is None or not unknown:
        return typed
    known = store.outgoing(unknown)
    return typed | {node for node in unknown if (node, RDF.type, COP.CommunityOfPurpose) in known}


#: the other ways of writing a membership, as reports name them
_FORMS = ("org:memberOf", "org:hasMembership", "schema:member")


def _notes(counts: dict[str, int], without_role: int) -> list[str]:
    notes = [
        f"{_many(n)} written as {form} recorded as a membership" for form, n in counts.items() if n
    ]
    if without_role:
        notes.append(f"{_many(without_role)} without a role recorded with the role member")
    return notes


def _many(n: int) -> str:
    return f"{n} membership" if n == 1 else f"{n} memberships"
