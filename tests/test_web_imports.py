"""The upload page: the report as a table, the list of imports, removal (asked first, by its
uploader or an administrator only, undoable, leaving no ghost), templates."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib.compare import isomorphic
from test_importer import workbooks
from test_web_auth import PASSWORD, make_app, sign_in, token
from workbooks import GOOD, replace_cell, xlsx

from cop_graph.ids import mint
from cop_graph.ingest.assessment import Answer, save_assessment
from cop_graph.namespaces import COP
from cop_graph.queries.catalogue import graph_iri
from cop_graph.scope import is_history, private_graph_of
from cop_graph.store.accounts import Accounts


def quads(store) -> list[str]:
    """Every quad in the store but the history's (which records each change, see
    cop_graph.ingest.history), sorted."""
    out = io.BytesIO()
    store.dump(out, "nquads", [g for g in store.named_graphs() if not is_history(g)])
    return sorted(out.getvalue().decode().splitlines())


@pytest.fixture
def web(seeded_store, tmp_path):
    client = make_app(seeded_store, tmp_path).test_client()
    sign_in(client)
    return client


def upload(client, data: bytes, filename="halliwell.xlsx", **form):
    fields = {"csrf_token": token(client, "/imports"), "workbook": (io.BytesIO(data), filename)}
    return client.post("/imports", data={**fields, **form}, content_type="multipart/form-data",
                       headers=form.pop("headers", {}))  # fmt: skip


def cells(page: str) -> list[list[str]]:
    table = page.split('id="import-problems"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [re.sub(r"\s+", " ", re.sub("<[^>]+>", "", cell)).strip()
         for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]  # fmt: skip


def test_a_good_workbook_is_saved_and_listed_with_who_and_when(web, seeded_store):
    response = upload(web, xlsx(GOOD))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Saved halliwell.xlsx" in page and "Halliwell walkers" in page
    assert graph_iri("import/halliwell") in seeded_store.named_graphs()
    listed = web.get("/imports").get_data(as_text=True).split('id="imports"', 1)[1]
    assert "halliwell.xlsx" in listed and "<td>sam</td>" in listed


def test_a_mistake_is_shown_as_a_table_and_nothing_is_written(web, seeded_store):
    before = quads(seeded_store)
    bad = replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activst")
    response = upload(web, xlsx(bad))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "halliwell.xlsx was not imported." in page
    assert cells(page) == [[
        "Memberships", "2", "Role", "Agenda activst",
        "&#34;Agenda activst&#34; is not a role; did you mean &#34;Agenda activist&#34;?",
    ]]  # fmt: skip
    assert quads(seeded_store) == before


def test_the_report_has_a_json_twin(web):
    bad = replace_cell(GOOD, "Progress", 2, "Date", "03/04/24")
    response = upload(web, xlsx(bad), headers={"Accept": "application/json"})
    assert response.status_code == 422
    (problem,) = response.json["problems"]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("Progress", 2, "Date")
    good = upload(web, xlsx(GOOD), headers={"Accept": "application/json"})
    assert good.json["ok"] is True and good.json["graph"].endswith("/import/halliwell")
    assert web.get("/api/imports").json["imports"][0]["who"] == "sam"


def test_a_dry_run_saves_nothing(web, seeded_store):
    before = quads(seeded_store)
    response = upload(web, xlsx(GOOD), dry_run="yes")
    assert "is ready to import" in response.get_data(as_text=True)
    assert quads(seeded_store) == before


def test_files_that_are_not_workbooks_get_a_sentence(web):
    response = upload(web, b"GIF89a....", filename="cat.gif")
    assert response.status_code == 422
    assert "This is not a workbook" in response.get_data(as_text=True)
    response = web.post("/imports", data={"csrf_token": token(web, "/imports")})
    assert "Choose a workbook file to upload first" in response.get_data(as_text=True)


def test_an_upload_over_the_limit_is_refused(seeded_store, tmp_path):
    client = make_app(seeded_store, tmp_path, max_upload_bytes=20_000).test_client()
    sign_in(client)
    response = upload(client, b"PK\x03\x04" + b"\x00" * 50_000)
    assert response.status_code == 413
    assert "The file is larger than" in response.get_data(as_text=True)


def test_the_templates_can_be_downloaded_by_anyone(seeded_store, tmp_path):
    client = make_app(seeded_store, tmp_path).test_client()
    workbook = client.get("/imports/template.xlsx")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"
    assert "attachment" in workbook.headers["Content-Disposition"]
    assert client.get("/imports/template.zip").data[:2] == b"PK"


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sheets=workbooks())
def test_random_uploads_never_fail_with_a_server_error_or_half_write(web, seeded_store, sheets):
    before = quads(seeded_store)
    response = upload(web, xlsx(sheets), filename="random.xlsx")
    assert response.status_code in (200, 422), response.get_data(as_text=True)[:500]
    if response.status_code == 422:
        assert "was not imported" in response.get_data(as_text=True)
        assert quads(seeded_store) == before
    else:
        graph = graph_iri("import/random")
        seeded_store.drop([graph, private_graph_of(graph)])
        assert quads(seeded_store) == before


def test_the_password_is_not_needed_again_once_signed_in(web):
    assert web.get("/imports").status_code == 200
    assert PASSWORD not in web.get("/imports").get_data(as_text=True)


# -- removal -------------------------------------------------------------------------------

HALLIWELL = graph_iri("import/halliwell")
COMMUNITY = mint("community", "halliwell-walkers")
JSON = {"Accept": "application/json"}
REFUSED = "Only sam, who imported it, or an administrator can remove this import."


@pytest.fixture
def others(seeded_store, tmp_path, web):
    """Clients signed in as alex (another coordinator), ada (an administrator) and vic (a
    viewer), on the same app and accounts file as ``web`` (signed in as sam)."""
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add("alex", PASSWORD)
    accounts.add("ada", PASSWORD, role="administrator")
    accounts.add("vic", PASSWORD, role="viewer")
    clients = {}
    for name in ("alex", "ada", "vic"):
        client = web.application.test_client()
        sign_in(client, name=name)
        clients[name] = client
    return clients


def confirm(client, graph=HALLIWELL, **headers):
    return client.get("/imports/remove", query_string={"graph": str(graph)}, headers=headers)


def remove(client, graph=HALLIWELL, headers=None):
    form = {"csrf_token": token(client, "/imports"), "graph": str(graph)}
    return client.post("/imports/remove", data=form, headers=headers or {})


def undo(client, change: str, headers=None):
    form = {"csrf_token": token(client, "/imports"), "change": change}
    return client.post("/imports/undo", data=form, headers=headers or {})


def test_removal_asks_first_and_a_look_removes_nothing(web, seeded_store):
    upload(web, xlsx(GOOD))
    listed = web.get("/imports").get_data(as_text=True)
    assert "/imports/remove?graph=" in listed and 'action="/imports/remove"' not in listed
    before = quads(seeded_store)
    page = confirm(web)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Remove halliwell.xlsx?" in text and "Imported by sam" in text
    facts = seeded_store.count(HALLIWELL) + seeded_store.count(private_graph_of(HALLIWELL))
    assert f"<strong>{facts} facts</strong>" in text
    communities = text.split('id="removal-communities"', 1)[1].split("</ul>", 1)[0]
    assert "Halliwell walkers" in communities
    things = text.split('id="removal-things"', 1)[1].split("</ul>", 1)[0]
    assert "Health walks" in things and "Walking for health" in things
    assert "Sam Taylor" not in text  # a person who has not agreed to be named
    assert 'name="csrf_token"' in text and 'id="confirm-removal"' in text
    twin = web.get("/api/imports/remove", query_string={"graph": "import/halliwell"}).json
    assert twin["ok"] and twin["may_remove"] and twin["removal"]["facts"] == facts
    assert [c["name"] for c in twin["removal"]["communities"]] == ["Halliwell walkers"]
    assert "Sam Taylor" not in str(twin)
    assert quads(seeded_store) == before


def test_removal_takes_a_post_with_the_token(web, seeded_store):
    upload(web, xlsx(GOOD))
    response = web.post("/imports/remove", data={"graph": str(HALLIWELL)})
    assert response.status_code == 400
    assert HALLIWELL in seeded_store.named_graphs()


def test_an_import_is_removed_as_a_whole_and_undo_puts_back_the_same_facts(web, seeded_store):
    before = quads(seeded_store)
    upload(web, xlsx(GOOD))
    uploaded = quads(seeded_store)
    public, private = seeded_store.graph(HALLIWELL), seeded_store.graph(private_graph_of(HALLIWELL))
    response = remove(web)
    assert response.status_code == 302
    assert quads(seeded_store) == before
    result = web.get(response.headers["Location"])
    page = result.get_data(as_text=True)
    facts = len(public) + len(private)
    assert f"Removed halliwell.xlsx: {facts} facts." in page and 'id="undo-removal"' in page
    assert "Removed the import import/halliwell." in page
    change = re.search(r'name="change" value="(\d+)"', page).group(1)
    assert "import/halliwell" not in web.get("/imports").get_data(as_text=True)
    response = undo(web, change)
    assert response.status_code == 302
    assert "Undone: removed the import" in web.get("/imports").get_data(as_text=True)
    assert isomorphic(seeded_store.graph(HALLIWELL), public)
    assert isomorphic(seeded_store.graph(private_graph_of(HALLIWELL)), private)
    assert quads(seeded_store) == uploaded  # the catalogue record too
    listed = web.get("/api/imports").json["imports"]
    assert [(i["name"], i["who"]) for i in listed] == [("import/halliwell", "sam")]


def test_the_json_twins_remove_and_undo(web, seeded_store):
    upload(web, xlsx(GOOD))
    uploaded = quads(seeded_store)
    answer = remove(web, headers=JSON)
    assert answer.status_code == 200 and answer.json["ok"] is True
    assert answer.json["removed"]["communities"][0]["name"] == "Halliwell walkers"
    assert HALLIWELL not in seeded_store.named_graphs()
    again = undo(web, answer.json["change"], headers=JSON)
    assert again.status_code == 200 and again.json["undid"] == answer.json["change"]
    assert quads(seeded_store) == uploaded
    gone = remove(web, graph="import/nothing", headers=JSON)
    assert gone.status_code == 404 and gone.json["ok"] is False
    assert gone.json["error"] == "That import is not in the list any more: nothing was removed."


def test_only_imports_can_be_removed(web, seeded_store):
    reference = graph_iri("reference")
    assert confirm(web, reference).status_code == 404
    assert remove(web, reference).status_code == 404
    assert reference in seeded_store.named_graphs()


def test_another_coordinator_cannot_remove_an_import_or_undo_its_removal(web, others, seeded_store):
    upload(web, xlsx(GOOD))
    alex = others["alex"]
    listed = alex.get("/imports").get_data(as_text=True)
    assert "halliwell.xlsx" in listed and "/imports/remove?graph=" not in listed
    page = confirm(alex).get_data(as_text=True)
    assert "Only sam, who imported it, or an administrator can remove this import." in page
    assert 'id="confirm-removal"' not in page
    before = quads(seeded_store)
    refused = remove(alex, headers=JSON)
    assert refused.status_code == 403 and refused.json == {
        "ok": False, "status": 403, "title": "Not allowed",
        "error": REFUSED}  # fmt: skip
    assert remove(alex).status_code == 403
    assert remove(others["vic"]).status_code == 403
    assert quads(seeded_store) == before
    change = remove(web, headers=JSON).json["change"]
    refused = undo(alex, change, headers=JSON)
    assert refused.status_code == 403 and "who made this change" in refused.json["error"]
    assert HALLIWELL not in seeded_store.named_graphs()


def test_an_administrator_may_remove_and_undo_anyones_import(web, others, seeded_store):
    upload(web, xlsx(GOOD))
    ada = others["ada"]
    assert "/imports/remove?graph=" in ada.get("/imports").get_data(as_text=True)
    change = remove(ada, headers=JSON).json["change"]
    assert HALLIWELL not in seeded_store.named_graphs()
    assert undo(ada, change, headers=JSON).status_code == 200
    assert HALLIWELL in seeded_store.named_graphs()


def test_a_removed_import_leaves_no_ghost(web, seeded_store):
    before = quads(seeded_store)
    upload(web, xlsx(GOOD))
    save_assessment(seeded_store, COMMUNITY, answers={1: Answer(COP.InProgress)},
                    principles={COP.PeoplePower}, role_holders={}, who="sam")  # fmt: skip
    lists = ["/api/communities", "/api/search?q=Halliwell+walkers", "/api/sources"]
    for path in lists:
        assert "Halliwell walkers" in web.get(path).get_data(as_text=True), path
    page = confirm(web).get_data(as_text=True)
    assert "Halliwell walkers</a>, with its self-assessment" in page
    change = remove(web, headers=JSON).json["change"]
    for path in lists:
        answer = web.get(path).json
        answer.pop("q", None)  # the search says what it was asked
        assert "Halliwell walkers" not in str(answer), path
        assert "halliwell-walkers" not in str(answer), path
    assert web.get("/api/id/community/halliwell-walkers").status_code == 404
    assert quads(seeded_store) == before
    undo(web, change)
    assert "Halliwell walkers" in web.get("/api/sources").get_data(as_text=True)
    assert "Self-assessment of the Halliwell walkers" in web.get("/api/sources").get_data(
        as_text=True
    )


def test_people_are_named_on_the_confirmation_only_if_they_agreed(web):
    upload(web, xlsx(replace_cell(GOOD, "People", 2, "Public profile", "yes")))
    things = confirm(web, **JSON).json["removal"]["things"]
    assert {(t["name"], t["kind"]) for t in things} >= {
        ("Sam Taylor", "Person"),
        ("Health walks", "Practice"),
        ("Walking for health", "Domain"),
    }
    page = confirm(web).get_data(as_text=True)
    assert 'Sam Taylor <span class="hint">(Person)</span>' in page


def test_a_removal_is_not_undone_over_a_later_import(web, seeded_store):
    upload(web, xlsx(GOOD))
    change = remove(web, headers=JSON).json["change"]
    upload(web, xlsx(replace_cell(GOOD, "Communities", 2, "Practices", "")))
    after = quads(seeded_store)
    refused = undo(web, change, headers=JSON)
    assert refused.status_code == 409 and refused.json["error"].endswith("undo it first.")
    assert quads(seeded_store) == after
    assert undo(web, "999", headers=JSON).status_code == 404


# -- ownership of the communities a workbook changes ----------------------------------------


def test_the_first_to_record_a_community_coordinates_it(web, tmp_path):
    upload(web, xlsx(GOOD))
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    assert accounts.coordinators_of(str(COMMUNITY)) == ["sam"]


def test_another_coordinator_cannot_change_a_community_by_workbook(web, others, seeded_store):
    upload(web, xlsx(GOOD))
    before = quads(seeded_store)
    changed = replace_cell(GOOD, "Communities", 2, "Practices", "")
    refused = upload(others["alex"], xlsx(changed), filename="mine.xlsx", headers=JSON)
    assert refused.status_code == 403 and refused.json["error"] == (
        "This workbook changes Halliwell walkers, which you do not coordinate: ask sam to "
        "change this community, or an administrator.")  # fmt: skip
    assert quads(seeded_store) == before
    checked = upload(others["alex"], xlsx(changed), filename="mine.xlsx", dry_run="yes")
    assert checked.status_code == 200 and quads(seeded_store) == before  # a check is allowed
    viewer = upload(others["vic"], xlsx(changed), headers=JSON)
    assert viewer.status_code == 403 and "reads only" in viewer.json["error"]
    assert upload(others["ada"], xlsx(changed), headers=JSON).status_code == 200
    assert quads(seeded_store) != before
    assert upload(web, xlsx(GOOD), headers=JSON).status_code == 200  # sam still may
