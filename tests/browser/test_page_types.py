"""Every kind of page passes axe-core's serious and critical rules and reads on a phone.

One page of each type (home, search, each kind of place, community, organisation, practice,
domain, lists, analyses, SPARQL, ontology, sources, sign-in, imports) is opened in Chromium
over the demo data: axe-core must find no serious or critical violation, and at 375 px (a
small phone) the page must not scroll sideways nor break a word of a name (a link, a heading,
a label) across two lines. A full-page phone screenshot of each is kept in
``var/test-artefacts/browser/type-<name>.png`` for people to look at.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.accounts import Accounts
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

PASSWORD = "a long enough secret"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}

#: one page of each type: (name, path)
PAGE_TYPES = [
    ("home", "/"),
    ("search", "/search?q=walking"),
    ("locality", "/id/place/bolton"),
    ("ward", "/id/place/bolton-breightmet"),
    ("neighbourhood", "/id/place/manchester-south-neighbourhood"),
    ("pcn", "/id/organisation/u00203"),
    ("gp-practice", "/id/organisation/p82001"),
    ("community", "/id/community/bolton-health-walks-network"),
    ("organisation", "/id/organisation/bolton-walking-and-wellbeing-charity"),
    ("practice", "/id/practice/befriending"),
    ("domain", "/id/domain/carers-wellbeing"),
    ("communities", "/communities"),
    ("organisations", "/organisations"),
    ("places", "/places"),
    ("analyses", "/analysis/"),
    ("shared-practice", "/analysis/shared-practice"),
    ("network", "/analysis/network"),
    ("gaps", "/analysis/gaps"),
    ("brokers", "/analysis/brokers"),
    ("sparql", "/sparql"),
    ("ontology", "/ontology"),
    ("ontology-term", "/ontology/CommunityOfPurpose"),
    ("sources", "/sources"),
    ("downloads", "/downloads"),
    ("sign-in", "/sign-in"),
]
#: pages only a signed-in coordinator sees
SIGNED_IN_TYPES = [
    ("imports", "/imports"),
    ("my-communities", "/my-communities"),
]

#: the words of names (links, headings, labels, table headers) that a line break splits;
#: addresses and emails may wrap anywhere and are left out
BROKEN_WORDS = """() => {
  const broken = [];
  const main = document.querySelector("main");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || !parent.closest("a, h1, h2, h3, h4, legend, label, dt, th, summary")) continue;
    if (parent.closest("svg, pre, code, textarea, .cm-editor")) continue;
    const words = /[^\\s\\-\u2010]+/g;  // a break after a hyphen is no break inside a word
    let match;
    while ((match = words.exec(node.data))) {
      const word = match[0];
      if (word.length < 2 || /[/@]|:\\/\\//.test(word)) continue;
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + word.length);
      const lines = new Set(Array.from(range.getClientRects())
        .filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(word);
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def site(demo_nquads, tmp_path_factory):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    accounts = Accounts(tmp_path_factory.mktemp("types") / "accounts.sqlite3")
    accounts.add("cora", PASSWORD)
    settings = load_settings({}, store="memory:", accounts=str(accounts.path))
    app = create_app({"STORE": store, "SETTINGS": settings})
    with live_server(app) as base:
        yield base
    store.close()


def check(page, base: str, name: str, path: str, shot) -> None:
    response = page.goto(base + path)
    assert response is not None and response.status == 200, f"{path} answered {response.status}"
    assert_accessible(page, f"type-{name}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path} is {width} px wide on a 375 px phone"
    broken = page.evaluate(BROKEN_WORDS)
    assert broken == [], f"{path} breaks these words of names across lines: {broken[:10]}"
    shot(page, f"type-{name}")


@pytest.mark.parametrize(("name", "path"), PAGE_TYPES, ids=[n for n, _ in PAGE_TYPES])
def test_each_page_type_is_accessible_and_reads_on_a_phone(site, open_page, shot, name, path):
    check(open_page(**PHONE), site, name, path, shot)


@pytest.mark.parametrize(("name", "path"), SIGNED_IN_TYPES, ids=[n for n, _ in SIGNED_IN_TYPES])
def test_each_coordinator_page_type_is_accessible_and_reads_on_a_phone(
    site, open_page, shot, name, path
):
    page = open_page(**PHONE)
    page.goto(site + "/sign-in")
    page.get_by_label("User name").fill("cora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    check(page, site, name, path, shot)
