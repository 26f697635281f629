"""The upload page: the report as a table, the list of imports, removal, templates."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from test_importer import workbooks
from test_web_auth import PASSWORD, make_app, sign_in, token
from workbooks import GOOD, replace_cell, xlsx

from cop_graph.queries.catalogue import graph_iri
from cop_graph.scope import private_graph_of


def quads(store) -> list[str]:
    out = io.BytesIO()
    store.dump(out, "nquads")
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


def test_an_import_is_removed_as_a_whole(web, seeded_store):
    before = quads(seeded_store)
    upload(web, xlsx(GOOD))
    graph = graph_iri("import/halliwell")
    assert seeded_store.count(private_graph_of(graph)) > 0
    response = web.post("/imports/remove", data={"csrf_token": token(web, "/imports"),
                                                 "graph": str(graph)})  # fmt: skip
    assert response.status_code == 302
    assert "Removed the import of halliwell.xlsx." in web.get("/imports").get_data(as_text=True)
    assert quads(seeded_store) == before


def test_only_imports_can_be_removed(web, seeded_store):
    reference = graph_iri("reference")
    web.post("/imports/remove", data={"csrf_token": token(web, "/imports"),
                                      "graph": str(reference)})  # fmt: skip
    assert reference in seeded_store.named_graphs()


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
