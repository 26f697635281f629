"""A community's self-assessment against the framework, as a form and as one saved change.

The form is built from the graph: the seven framework steps with their guiding questions
(from the seed document), the statuses, Wenger's seven roles with the question under each,
and the principles. Saving adds one new ``cop:StepAssessment`` per step assessed, dated as
given (today by default), next to the earlier ones: the history is kept and the latest per
step is the community's current position. Everything the form saves lives in the
community's own assessment graph (``assessment/{community}``) and is checked and committed
at once by :func:`cop_graph.ingest.load.save_graph`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from rdflib import Graph, Literal, URIRef

from cop_graph import queries
from cop_graph.errors import UsageError, ValidationFailed
from cop_graph.ids import mint
from cop_graph.ingest.history import commit_recorded, default_who
from cop_graph.ingest.importer import check
from cop_graph.ingest.load import LoadResult, graph_change
from cop_graph.namespaces import COP, DCTERMS, ORG, RDF, RDFS, SDO, XSD
from cop_graph.queries.catalogue import graph_iri
from cop_graph.scope import private_graph_of
from cop_graph.workbook.links import role_words

#: how a status reads in the history's lines
_STATUS_WORDS = {
    COP.NotStarted: "not started",
    COP.InProgress: "in progress",
    COP.Established: "established",
}

__all__ = ["Answer", "assessment_form", "graph_name", "save_assessment"]


@dataclass(frozen=True)
class Answer:
    """One step's answer: its status (an IRI), notes, and the date of the assessment."""

    status: URIRef
    notes: str = ""
    day: date = field(default_factory=date.today)


def graph_name(community: URIRef) -> str:
    """The graph holding what the form saved for ``community``."""
    return "assessment/" + _slug(community)


def _slug(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _rows(store, name: str, **bindings) -> list[dict]:
    return queries.run(store, name, **bindings).dicts()


def assessment_form(store, community: URIRef) -> dict:
    """Everything the form shows, as plain data (the page and its JSON twin share it)."""
    facts = _rows(store, "assessment_community", community=community)
    if not facts:
        raise UsageError(f"there is no community {community}")
    own = graph_iri(graph_name(community))
    members, holders, adopted = {}, defaultdict(list), {}
    for row in facts:
        if "member" in row:
            name = str(row.get("memberName", _slug(row["member"])))
            members[str(row["member"])] = name
            holders[str(row["role"])].append(name)
        if "principle" in row:
            here = row["graph"] == own
            adopted[str(row["principle"])] = adopted.get(str(row["principle"]), False) or not here
    return {
        "community": str(community),
        "name": str(facts[0]["name"]),
        "graph": str(own),
        "steps": _steps(store, community),
        "statuses": [{"iri": str(COP[k]), "label": label} for k, label in _STATUSES],
        "roles": _roles(store, holders),
        "members": sorted(
            ({"iri": k, "name": v} for k, v in members.items()), key=lambda m: m["name"].casefold()
        ),  # fmt: skip
        "principles": _principles(store, adopted),
        "today": date.today().isoformat(),
    }


_STATUSES = (("NotStarted", "Not started"), ("InProgress", "In progress"),
             ("Established", "Established"))  # fmt: skip


def _steps(store, community: URIRef) -> list[dict]:
    steps: dict[int, dict] = {}
    for row in _rows(store, "assessment_steps"):
        number = int(row["number"])
        step = steps.setdefault(number, {"iri": str(row["step"]), "number": number,
                                         "label": str(row["label"]), "questions": [],
                                         "history": []})  # fmt: skip
        if "question" in row:
            step["questions"].append(str(row["question"]))
    for row in _rows(store, "assessment_history", community=community):
        steps[int(row["number"])]["history"].append({
            "date": str(row["date"]),
            "status": str(row["status"]),
            "status_label": str(row.get("statusLabel", _slug(row["status"]))),
            "notes": str(row.get("notes", "")),
        })  # fmt: skip
    return [steps[n] for n in sorted(steps)]


def _roles(store, holders) -> list[dict]:
    roles: dict[str, dict] = {}
    for row in _rows(store, "assessment_roles"):
        role = roles.setdefault(
            str(row["role"]),
            {
                "iri": str(row["role"]),
                "label": str(row["label"]),
                "questions": [],
                "holders": sorted(holders[str(row["role"])]),
            },
        )
        if "question" in row:
            role["questions"].append(str(row["question"]))
    return list(roles.values())


def _principles(store, adopted: dict[str, bool]) -> list[dict]:
    """Principles by scheme; ``elsewhere`` marks those another graph (a workbook) records."""
    schemes: dict[str, dict] = {}
    for row in _rows(store, "assessment_principles"):
        scheme = schemes.setdefault(
            str(row["scheme"]), {"label": str(row["schemeLabel"]), "principles": []}
        )
        iri = str(row["principle"])
        scheme["principles"].append({"iri": iri, "label": str(row["label"]),
                                     "adopted": iri in adopted,
                                     "elsewhere": adopted.get(iri, False)})  # fmt: skip
    return list(schemes.values())


def save_assessment(
    store,
    community: URIRef,
    *,
    answers: dict[int, Answer],
    principles: set[URIRef],
    role_holders: dict[URIRef, URIRef],
    who: str | None = None,
) -> LoadResult:
    """Add the answers to the community's assessment graph, as one checked, atomic change.

    ``answers`` maps step numbers to answers (steps left out are not assessed this time);
    ``principles`` are the principles the form ticks; ``role_holders`` maps a role to the
    member the coordinator names as playing it. Raises
    :class:`cop_graph.errors.ValidationFailed` (nothing written) if the result breaks a rule.
    The returned result's ``advice`` is empty: advice is for workbooks, whose rows it names.
    """
    form = assessment_form(store, community)
    name = graph_name(community)
    graph = graph_iri(name)
    data = _kept(store.graph(graph), community)
    label = form["name"]
    steps = {step["number"]: URIRef(step["iri"]) for step in form["steps"]}
    for number, answer in sorted(answers.items()):
        if number not in steps:
            raise UsageError(f"there is no framework step {number}")
        if answer.day > date.today():
            raise UsageError(
                f"step {number}: {answer.day.isoformat()} is in the future; give the day the "
                "assessment was made, today or earlier"
            )
        when = answer.day.isoformat()
        iri = mint("assessment", _slug(community), str(number), when)
        data.remove((iri, None, None))  # a second save on the same day replaces the first
        data.add((iri, RDF.type, COP.StepAssessment))
        data.add((iri, RDFS.label, Literal(f"Step {number} self-assessment of the {label}, "
                                           f"{when}", lang="en")))  # fmt: skip
        data.add((iri, COP.assessedCommunity, community))
        data.add((iri, COP.assessedStep, steps[number]))
        data.add((iri, COP.stepStatus, answer.status))
        data.add((iri, DCTERMS.date, Literal(when, datatype=XSD.date)))
        if answer.notes.strip():
            data.add((iri, DCTERMS.description, Literal(answer.notes.strip(), lang="en")))
    for principle in principles:
        data.add((community, COP.adoptsPrinciple, principle))
    for role, member in role_holders.items():
        iri = mint("membership", _slug(community), _slug(member), role_words(role))
        if (iri, RDF.type, ORG.Membership) in data:
            continue
        data.add((iri, RDF.type, ORG.Membership))
        data.add((iri, RDFS.label, Literal(f"{role_words(role)} in the {label}", lang="en")))
        data.add((iri, ORG.organization, community))
        data.add((iri, ORG.member, member))
        data.add((iri, ORG.role, role))
        data.add((iri, SDO.startDate, Literal(date.today().isoformat(), datatype=XSD.date)))
    # checked here with the community's own links (see importer.check), then saved as is
    report = check(store, data, [graph, private_graph_of(graph)])
    if not report.conforms:
        raise ValidationFailed(
            report,
            source="self-assessment",
            labels=data
            + store.outgoing({t for triple in data for t in triple if isinstance(t, URIRef)}),
        )
    change, result = graph_change(
        store,
        data,
        name=name,
        title=f"Self-assessment of the {label}",
        kind="assessment",
        sources=["self-assessment form"],
        who=who,
        check=False,
    )
    # recorded like every other change, so it shows in the community's history and can be undone
    lines = [f"assessed step {n}: {_STATUS_WORDS.get(a.status, 'status given')}"
             for n, a in sorted(answers.items())]  # fmt: skip
    lines += ["said which principles it adopts"] if principles else []
    lines += [f"named a {role_words(role)}" for role in role_holders]
    commit_recorded(
        store,
        change,
        who=who or default_who(),
        kind="assessment",
        summary=f"Self-assessment of the {label} saved",
        lines={community: lines or ["saved its self-assessment"]},
    )
    return result


def _kept(previous: Graph, community: URIRef) -> Graph:
    """What stays from earlier saves: every assessment and membership, not the principles."""
    kept = Graph()
    for triple in previous:
        if triple[0] == community and triple[1] == COP.adoptsPrinciple:
            continue
        kept.add(triple)
    return kept
