"""Downloading a community's record as a workbook: from its page, and from the command line."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from click.testing import CliRunner
from test_web_auth import make_app, sign_in

from cop_graph.cli import cli
from cop_graph.ingest.importer import import_workbook

PAGE = "/id/community/bolton-health-walks-network"
XLSX = "/workbooks/community/bolton-health-walks-network.xlsx"


def text_of(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        if sheet.title not in ("Read me", "How to fill this in", "Lists")
        for row in sheet.iter_rows(values_only=True)
    )


def test_the_community_page_links_to_its_workbook(client):
    page = client.get(PAGE).get_data(as_text=True)
    assert f'href="{XLSX}"' in page
    assert 'href="/workbooks/community/bolton-health-walks-network.zip"' in page


def test_anonymous_visitors_get_the_public_record(client):
    response = client.get(XLSX)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "bolton-health-walks-network.xlsx" in response.headers["Content-Disposition"]
    text = text_of(response.data)
    assert "Bolton health walks network (illustrative)" in text
    assert "Callum Rahman" not in text and "@example.org" not in text


def test_signed_in_users_get_names_and_the_workbook_imports_back(demo_store, tmp_path):
    client = make_app(demo_store, tmp_path).test_client()
    sign_in(client)
    response = client.get(XLSX)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    assert "Callum Rahman" in text_of(response.data)
    result = import_workbook(demo_store, response.data, filename="downloaded.xlsx", dry_run=True)
    assert result.triples > 300


def test_the_csv_zip_and_unknown_addresses(client):
    archive = zipfile.ZipFile(io.BytesIO(client.get(XLSX.replace(".xlsx", ".zip")).data))
    assert "Communities.csv" in archive.namelist()
    assert client.get("/workbooks/community/nobody-here.xlsx").status_code == 404
    assert client.get("/workbooks/community/bolton-health-walks-network.pdf").status_code == 404
    assert client.get("/workbooks/community/Not%20A%20Slug.xlsx").status_code == 404


def test_the_command_line_writes_a_communitys_workbook(seeded_store_path, tmp_path):
    runner = CliRunner()
    store = ["--store", str(seeded_store_path)]
    from workbooks import GOOD, xlsx

    source = tmp_path / "halliwell.xlsx"
    source.write_bytes(xlsx(GOOD))
    assert runner.invoke(cli, [*store, "import", str(source)]).exit_code == 0
    out = tmp_path / "out.xlsx"
    community = "https://w3id.org/cop-graph/id/community/halliwell-walkers"
    args = [*store, "export", "--format", "xlsx", "--community", community, "-o", str(out)]
    result = runner.invoke(cli, [*args, "--include-private"])
    assert result.exit_code == 0, result.output
    assert "Sam Taylor" in text_of(out.read_bytes())
    by_id = runner.invoke(cli, [*args[:-4], "--community", "halliwell-walkers", "-o", str(out)])
    assert by_id.exit_code == 0, by_id.output
    assert "Halliwell walkers" in text_of(out.read_bytes())
    missing = runner.invoke(cli, [*args[:-4], "--community", community + "-x", "-o", str(out)])
    assert missing.exit_code == 2 and "there is no community" in missing.output
    bad = runner.invoke(cli, [*args[:-4], "--community", "Not an ID", "-o", str(out)])
    assert bad.exit_code == 2 and "IRI or ID" in bad.output
