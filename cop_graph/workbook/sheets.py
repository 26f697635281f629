"""The sheets of a coordinator's workbook and their columns, described once.

The template, the reader, the mapping to RDF and the export all follow this one
description, so a column can never mean one thing when written and another when read.
Headers are matched without regard to case, spaces or a trailing ``*`` (the template marks
required columns with one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rdflib import URIRef

from cop_graph.namespaces import COP, DCTERMS, FOAF, ORG, SDO, SKOS

__all__ = [
    "ABOUT",
    "ABOUT_SETTINGS",
    "IGNORED_SHEETS",
    "SHEETS",
    "Column",
    "Sheet",
    "find_sheet",
    "header_key",
]

#: value kinds: how a cell is read (see :mod:`cop_graph.workbook.values`)
TEXT, NAME, ID, REF, CHOICE, DATE, YES_NO, NUMBER, WEB, EMAIL, CODE = (
    "text",
    "name",
    "id",
    "reference",
    "choice",
    "date",
    "yes/no",
    "number",
    "web address",
    "email",
    "code",
)


@dataclass(frozen=True)
class Column:
    """One column: its header, how its cells are read, and what it becomes in the graph."""

    header: str
    value: str
    help: str
    example: str = ""
    required: bool = False
    #: several values in one cell, separated by ``;``
    several: bool = False
    #: for references, the kinds of thing it may name; for choices, the list it comes from
    targets: tuple[str, ...] = ()
    #: the property the column fills (None when the sheet's mapping handles it itself)
    predicate: URIRef | None = None
    #: free text in English (``@en``) rather than a plain string
    english: bool = True

    @cached_property
    def key(self) -> str:
        return header_key(self.header)


@dataclass(frozen=True)
class Sheet:
    """One sheet: a kind of thing (or of link between things) and its columns."""

    name: str
    help: str
    columns: tuple[Column, ...]
    #: the IRI kind of the things its rows describe (``mint(kind, …)``)
    kind: str
    #: the classes every row's thing gets (sheets with a Type column add the chosen one)
    classes: tuple[URIRef, ...] = ()
    #: names are English prose (``@en``); people's names are plain strings
    english_names: bool = True

    def column(self, key: str) -> Column | None:
        return self._by_key.get(key)

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @property
    def name_key(self) -> str:
        """The key of the column holding each row's name ("name", or "title" for resources)."""
        return next(c.key for c in self.columns if c.value == NAME)

    @property
    def has_ids(self) -> bool:
        return self.column("id") is not None


def header_key(header: str) -> str:
    """A header as the reader compares it: lower case, single spaces, no trailing ``*``.

    >>> header_key("  Operates   IN * ")
    'operates in'
    """
    return re.sub(r"\s+", " ", str(header).replace("*", " ")).strip().casefold()


def _id(kind: str) -> Column:
    return Column(
        "ID",
        ID,
        f"Optional short identifier of the {kind}, such as a code you already use. Leave it "
        "blank and one is made from the name; keep it the same when you import again.",
    )


def _name(kind: str, example: str, header: str = "Name") -> Column:
    return Column(header, NAME, f"The {kind}'s name.", example, required=True)


def _description(kind: str, example: str = "") -> Column:
    return Column(
        "Description",
        TEXT,
        f"A sentence or two about the {kind}.",
        example,
        predicate=DCTERMS.description,
    )


COMMUNITIES = Sheet(
    "Communities",
    "One row per community of purpose.",
    (
        _id("community"),
        _name("community", "Bolton health walks network"),
        _description("community", "Walk leaders and practice staff sharing what works."),
        Column(
            "Purpose",
            TEXT,
            "What the community is for, in one sentence.",
            "Help more people walk together for their health.",
            predicate=COP.purpose,
        ),
        Column(
            "Domains",
            REF,
            "The shared topics the community is about (see the Domains "
            "sheet or domains already recorded).",
            "Physical activity",
            required=True,
            several=True,
            targets=("domain",),
            predicate=COP.hasDomain,
        ),
        Column(
            "Operates in",
            REF,
            "The places it works in: localities, wards or neighbourhoods, by name or ID.",
            "Bolton; Astley Bridge",
            required=True,
            several=True,
            targets=("place",),
            predicate=COP.operatesIn,
        ),
        Column(
            "Practices",
            REF,
            "Practices it shares (see the Practices sheet).",
            "Health walks",
            several=True,
            targets=("practice",),
            predicate=COP.sharesPractice,
        ),
        Column(
            "Principles",
            CHOICE,
            "Principles it has adopted, from the drop-down list.",
            "People Power; Representation",
            several=True,
            targets=("principle",),
            predicate=COP.adoptsPrinciple,
        ),
        Column(
            "Blueprint chapters",
            CHOICE,
            "Primary Care Blueprint chapters it supports.",
            "Prevention",
            several=True,
            targets=("chapter",),
            predicate=COP.alignsWithChapter,
        ),
        Column(
            "Openness",
            CHOICE,
            "Open to anyone, or contained (by invitation).",
            "Open",
            targets=("openness",),
            predicate=COP.openness,
        ),
        Column(
            "Founded",
            DATE,
            "When it started, as 2024-03-31 or 31/03/2024.",
            "2023-09-01",
            predicate=SDO.foundingDate,
        ),
        Column(
            "Website",
            WEB,
            "Its web page, starting with https://.",
            "https://example.org/walks",
            predicate=FOAF.homepage,
        ),
        Column(
            "Aims",
            CHOICE,
            "The framework's aims it pursues.",
            "",
            several=True,
            targets=("aim",),
            predicate=COP.pursuesAim,
        ),
        Column(
            "Ground rules",
            TEXT,
            "Ground rules the community agreed, separated by ;.",
            "We listen first",
            several=True,
            predicate=COP.hasNorm,
        ),
        Column(
            "Meets in",
            REF,
            "Where it meets (see the Spaces sheet).",
            "",
            several=True,
            targets=("space",),
            predicate=COP.meetsIn,
        ),
    ),
    kind="community",
    classes=(COP.CommunityOfPurpose,),
)

PEOPLE = Sheet(
    "People",
    "One row per person. Names and emails stay private unless 'Public profile' is yes; "
    "emails are never shown publicly.",
    (
        _id("person"),
        _name("person", "Sam Taylor"),
        Column(
            "Email",
            EMAIL,
            "Their email address (kept private).",
            "sam@example.org",
            predicate=FOAF.mbox,
        ),
        Column(
            "Organisation",
            REF,
            "The organisation they work for, by name or ID.",
            "Bolton CVS",
            targets=("organisation",),
            predicate=ORG.memberOf,
        ),
        Column(
            "Based in",
            REF,
            "The place they are based in.",
            "Bolton",
            targets=("place",),
            predicate=COP.basedIn,
        ),
        Column(
            "Public profile",
            YES_NO,
            "yes if they agreed to be named publicly; blank means no.",
            "no",
            predicate=COP.publicProfile,
        ),
    ),
    kind="person",
    classes=(FOAF.Person,),
    english_names=False,
)

ORGANISATIONS = Sheet(
    "Organisations",
    "One row per organisation that is not already recorded (PCNs, GP practices and councils are).",
    (
        _id("organisation"),
        _name("organisation", "Bolton Walkers Trust"),
        Column(
            "Type",
            CHOICE,
            "What kind of organisation it is.",
            "VCSE organisation",
            required=True,
            targets=("organisation type",),
        ),
        Column(
            "ODS code",
            CODE,
            "Its NHS ODS code, if it has one.",
            "",
            predicate=COP.odsCode,
            english=False,
        ),
        Column(
            "Based in",
            REF,
            "The place it is based in.",
            "Bolton",
            targets=("place",),
            predicate=COP.basedIn,
        ),
        _description("organisation"),
        Column(
            "Serves",
            REF,
            "The places it serves.",
            "Bolton",
            several=True,
            targets=("place",),
            predicate=COP.servesPlace,
        ),
        Column(
            "Website", WEB, "Its web page, starting with https://.", "", predicate=FOAF.homepage
        ),
    ),
    kind="organisation",
)

MEMBERSHIPS = Sheet(
    "Memberships",
    "One row per member of a community and the role they play.",
    (
        Column(
            "Community",
            REF,
            "The community, by name or ID.",
            "Bolton health walks network",
            required=True,
            targets=("community",),
        ),
        Column(
            "Member",
            REF,
            "A person (People sheet) or organisation, by name or ID.",
            "Sam Taylor",
            required=True,
            targets=("person", "organisation"),
        ),
        Column(
            "Role",
            CHOICE,
            "The role they play, from the drop-down list.",
            "Community keeper",
            required=True,
            targets=("role",),
        ),
        Column(
            "From", DATE, "When they started in this role.", "01/09/2023", predicate=SDO.startDate
        ),
        Column("To", DATE, "When they stopped, if they have.", "", predicate=SDO.endDate),
    ),
    kind="membership",
)

PLACES = Sheet(
    "Places",
    "Neighbourhoods you define (wards and localities are already recorded).",
    (
        _id("place"),
        _name("place", "Halliwell and Crompton neighbourhood"),
        Column(
            "Type",
            CHOICE,
            "Neighbourhood, Ward or Locality.",
            "Neighbourhood",
            required=True,
            targets=("place type",),
        ),
        Column(
            "Within",
            REF,
            "The larger place it lies in, usually a locality.",
            "Bolton",
            required=True,
            targets=("place",),
            predicate=COP.withinPlace,
        ),
        Column(
            "Wards",
            REF,
            "The wards it is made of.",
            "Halliwell; Crompton",
            several=True,
            targets=("ward",),
            predicate=COP.comprises,
        ),
        Column(
            "ONS code",
            CODE,
            "Its ONS code (wards and localities need one).",
            "",
            predicate=COP.gssCode,
            english=False,
        ),
        _description("place"),
    ),
    kind="place",
)


def _concepts(name: str, kind: str, cls: URIRef, example: str, help_text: str) -> Sheet:
    return Sheet(
        name,
        help_text,
        (
            _id(kind),
            _name(kind, example),
            _description(kind),
            Column(
                "Broader",
                REF,
                f"A wider {kind} this one is part of.",
                "",
                targets=(kind,),
                predicate=SKOS.broader,
            ),
        ),
        kind=kind,
        classes=(cls, SKOS.Concept),
    )


DOMAINS = _concepts(
    "Domains", "domain", COP.Domain, "Physical activity", "The shared topics communities are about."
)
PRACTICES = _concepts(
    "Practices",
    "practice",
    COP.Practice,
    "Health walks",
    "Practices communities share, such as social prescribing.",
)

RESOURCES = Sheet(
    "Resources",
    "Resources, tools, methods, stories, experiences, insights and documents a community shares.",
    (
        _id("resource"),
        _name("resource", "Walk leader starter pack", header="Title"),
        Column(
            "Type",
            CHOICE,
            "Resource, Tool, Method, Story, Experience, Insight or Document.",
            "Tool",
            targets=("resource type",),
            predicate=COP.resourceType,
        ),
        Column(
            "URL",
            WEB,
            "Where to find it, starting with https://.",
            "https://example.org/pack",
            predicate=SDO.url,
        ),
        Column(
            "Produced by",
            REF,
            "The community or organisation that made it.",
            "Bolton health walks network",
            targets=("community", "organisation"),
            predicate=COP.producedBy,
        ),
        Column(
            "About practice",
            REF,
            "The practice it is about.",
            "Health walks",
            targets=("practice",),
            predicate=COP.aboutPractice,
        ),
        _description("resource"),
        Column(
            "Held by",
            REF,
            "Communities that keep it in their shared repertoire.",
            "",
            several=True,
            targets=("community",),
            predicate=COP.heldBy,
        ),
        Column(
            "Author",
            TEXT,
            "Who wrote it, for published works.",
            "",
            predicate=DCTERMS.creator,
            english=False,
        ),
    ),
    kind="resource",
    classes=(COP.Resource,),
)

INDICATORS = Sheet(
    "Indicators",
    "How outcomes are measured.",
    (
        _id("indicator"),
        _name("indicator", "Regular walkers"),
        Column(
            "Unit",
            TEXT,
            "What the values count, such as people or percent.",
            "people",
            predicate=COP.unit,
            english=False,
        ),
        Column(
            "Higher is better",
            YES_NO,
            "yes if a higher value is better.",
            "yes",
            predicate=COP.higherIsBetter,
        ),
        _description("indicator"),
    ),
    kind="indicator",
    classes=(COP.Indicator,),
)

OUTCOMES = Sheet(
    "Outcomes",
    "What a community aims for and, optionally, a measured value on a date.",
    (
        Column(
            "Community",
            REF,
            "The community.",
            "Bolton health walks network",
            required=True,
            targets=("community",),
        ),
        Column(
            "Outcome",
            NAME,
            "The outcome it aims for.",
            "More people walking regularly",
            required=True,
        ),
        Column(
            "Indicator",
            REF,
            "How it is measured (Indicators sheet).",
            "Regular walkers",
            targets=("indicator",),
        ),
        Column("Value", NUMBER, "The measured value, a number.", "42"),
        Column("Date", DATE, "When it was measured.", "31/03/2025"),
    ),
    kind="outcome",
)

PROGRESS = Sheet(
    "Progress",
    "The community's self-assessment against the framework's seven steps.",
    (
        Column(
            "Community",
            REF,
            "The community.",
            "Bolton health walks network",
            required=True,
            targets=("community",),
        ),
        Column(
            "Step",
            CHOICE,
            "A framework step: its number 1 to 7 or its name.",
            "1",
            required=True,
            targets=("step",),
        ),
        Column(
            "Status",
            CHOICE,
            "Not started, In progress or Established.",
            "In progress",
            required=True,
            targets=("status",),
        ),
        Column("Date", DATE, "When you assessed it.", "2025-03-31", required=True),
        Column("Notes", TEXT, "What you based the status on.", "Purpose agreed with members."),
    ),
    kind="assessment",
)

SPACES = Sheet(
    "Spaces",
    "Where communities meet, in person or online.",
    (
        _id("space"),
        _name("space", "Halliwell community centre"),
        Column("Online", YES_NO, "yes for an online space.", "no", predicate=COP.virtual),
        Column(
            "Within",
            REF,
            "The place it is in.",
            "Halliwell",
            targets=("place",),
            predicate=COP.withinPlace,
        ),
        _description("space"),
    ),
    kind="space",
    classes=(COP.Space,),
)

EVENTS = Sheet(
    "Events",
    "Sessions and workshops a community holds.",
    (
        _id("event"),
        Column(
            "Community",
            REF,
            "The community holding it.",
            "Bolton health walks network",
            required=True,
            targets=("community",),
            predicate=COP.eventOf,
        ),
        _name("event", "Spring walk leaders' meet-up"),
        Column("Date", DATE, "When it starts.", "2025-04-10", predicate=SDO.startDate),
        Column(
            "Location",
            REF,
            "Where (Spaces sheet).",
            "Halliwell community centre",
            targets=("space",),
            predicate=SDO.location,
        ),
        _description("event"),
    ),
    kind="event",
    classes=(COP.Event,),
)

PARTNERSHIPS = Sheet(
    "Partnerships",
    "Partnerships between organisations, such as a PCN and a VCSE organisation.",
    (
        _id("partnership"),
        _name("partnership", "Bolton PCN and VCSE partnership"),
        _description("partnership"),
        Column(
            "Partners",
            REF,
            "The partner organisations.",
            "Bolton Walkers Trust",
            several=True,
            targets=("organisation",),
            predicate=COP.partner,
        ),
        Column(
            "Serves",
            REF,
            "The places it serves.",
            "Bolton",
            several=True,
            targets=("place",),
            predicate=COP.servesPlace,
        ),
        Column(
            "Programme",
            REF,
            "The programme it is part of.",
            "",
            targets=("programme",),
            predicate=COP.partOfProgramme,
        ),
        Column(
            "Success factors",
            CHOICE,
            "The framework's critical success factors for PCN and VCSE partnerships that it "
            "works on, from the drop-down list.",
            "Consensus; Flexibility",
            several=True,
            targets=("success factor",),
            predicate=COP.successFactor,
        ),
    ),
    kind="partnership",
    classes=(COP.Partnership,),
)

#: every data sheet, in the order of the template
SHEETS: tuple[Sheet, ...] = (
    COMMUNITIES,
    PEOPLE,
    ORGANISATIONS,
    MEMBERSHIPS,
    PLACES,
    DOMAINS,
    PRACTICES,
    RESOURCES,
    INDICATORS,
    OUTCOMES,
    PROGRESS,
    SPACES,
    EVENTS,
    PARTNERSHIPS,
)

#: the settings sheet: the workbook's name (so a new version replaces the old) and whether
#: everything in it is a made-up example
ABOUT = "About"
ABOUT_SETTINGS = {
    "workbook name": "A short name for this workbook. Importing a workbook with the same "
    "name again replaces what the earlier one added.",
    "made-up examples": "yes if everything in this workbook is invented, for trying things "
    "out; blank means no.",
}

#: sheets the template adds for people to read; the importer passes over them
IGNORED_SHEETS = frozenset({"how to fill this in", "read me", "lists"})


def find_sheet(name: str) -> Sheet | None:
    """The data sheet called ``name`` (any case), or None."""
    key = header_key(name)
    return next((s for s in SHEETS if header_key(s.name) == key), None)
