"""Uploads from the page run in the background: the POST answers at once with the job's page,
which lists the steps and ends with the same report a waiting upload gave; a job is its
owner's alone."""

from __future__ import annotations

import io
import time

import pytest
from test_web_auth import PASSWORD, sign_in, token
from test_web_imports import cells, quads, upload
from workbooks import GOOD, replace_cell, xlsx

from cop_graph.queries.catalogue import graph_iri
from cop_graph.store.accounts import Accounts
from cop_graph.web.import_jobs import ImportJobs


@pytest.fixture
def web(seeded_store, tmp_path):
    from test_web_auth import make_app

    client = make_app(seeded_store, tmp_path).test_client()
    sign_in(client)
    return client


def start(client, data: bytes, filename="halliwell.xlsx", **form):
    """Upload as the page's form does (in the background); the job page's address."""
    response = upload(client, data, filename, in_background="yes", **form)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


def finished(client, page: str, timeout: float = 60) -> dict:
    """The job's JSON twin once the job has ended."""
    twin = page.replace("/imports/jobs/", "/api/imports/jobs/")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = client.get(twin).get_json()
        if answer["state"] != "running":
            return answer
        time.sleep(0.05)
    raise AssertionError("the import did not end in time")


def report(page: str) -> str:
    """The report part of a page: what the upload says happened."""
    return page.split('id="import-result"', 1)[1].split("</div>", 1)[0]


def test_an_upload_answers_at_once_with_the_job_page(web, seeded_store):
    jobs = web.application.extensions["cop_graph"].lazily("import_jobs", ImportJobs)
    lock = web.application.extensions["cop_graph"].write_lock
    with lock:  # another change is being saved: the job waits, the answer does not
        began = time.monotonic()
        page = start(web, xlsx(GOOD))
        assert time.monotonic() - began < 5
        assert page.startswith("/imports/jobs/")
        running = web.get(page)
        text = running.get_data(as_text=True)
        assert running.status_code == 200
        assert "Importing halliwell.xlsx" in text and "Waiting for its turn" in text
        assert '<a href="' + page + '">Check again</a>' in text
        assert "import-progress.js" in text
        assert len(jobs._jobs) == 1
    answer = finished(web, page)
    assert answer["state"] == "saved"
    assert [s["name"] for s in answer["steps"]] == [
        "Reading halliwell.xlsx",
        "Turning 6 rows into facts",
        "Checking against the data rules",
        "Saving",
    ]
    assert all(step["finished"] for step in answer["steps"])
    assert graph_iri("import/halliwell") in seeded_store.named_graphs()


def test_the_job_ends_with_the_same_report_as_a_waiting_upload(web):
    waited = upload(web, xlsx(GOOD), dry_run="yes").get_data(as_text=True)
    page = start(web, xlsx(GOOD), dry_run="yes")
    finished(web, page)
    done = web.get(page).get_data(as_text=True)
    assert report(done) == report(waited)
    assert "is ready to import" in report(done)
    assert 'id="import-steps"' in done and "Check again" not in done


def test_a_saved_job_lists_its_communities_and_answers_programs_as_before(web):
    page = start(web, xlsx(GOOD))
    answer = finished(web, page)
    done = web.get(page).get_data(as_text=True)
    assert "Saved halliwell.xlsx" in done and "Halliwell walkers" in done
    again = upload(web, xlsx(GOOD), headers={"Accept": "application/json"}).get_json()
    assert set(answer["result"]) == set(again) - {"ok"}
    assert answer["result"]["graph"] == again["graph"] and answer["result"]["rows"] == 6


def test_a_bad_workbook_shows_the_same_problems_table(web, seeded_store):
    before = quads(seeded_store)
    bad = xlsx(replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activst"))
    waited = upload(web, bad).get_data(as_text=True)
    page = start(web, bad)
    answer = finished(web, page)
    assert answer["state"] == "rejected"
    assert answer["problems"][0]["value"] == "Agenda activst"
    done = web.get(page).get_data(as_text=True)
    assert "halliwell.xlsx was not imported." in done
    assert cells(done) == cells(waited)
    assert quads(seeded_store) == before


def test_other_accounts_cannot_see_a_job(web, tmp_path):
    Accounts(tmp_path / "accounts.sqlite3").add("alex", PASSWORD)
    alex = web.application.test_client()
    sign_in(alex, name="alex")
    page = start(web, xlsx(GOOD))
    finished(web, page)
    assert alex.get(page).status_code == 404
    twin = alex.get(page.replace("/imports/", "/api/imports/", 1))
    assert twin.status_code == 404 and twin.get_json()["ok"] is False
    assert web.application.test_client().get(page).status_code == 302  # signed out: sign in
    assert web.get("/imports/jobs/no-such-job").status_code == 404


def test_a_viewer_is_refused_at_once(web, tmp_path):
    Accounts(tmp_path / "accounts.sqlite3").add("vic", PASSWORD, role="viewer")
    vic = web.application.test_client()
    sign_in(vic, name="vic")
    fields = {"csrf_token": token(vic, "/imports"), "in_background": "yes",
              "workbook": (io.BytesIO(xlsx(GOOD)), "h.xlsx")}  # fmt: skip
    response = vic.post("/imports", data=fields, content_type="multipart/form-data")
    assert response.status_code == 403


def test_finished_jobs_are_forgotten_beyond_the_bound():
    jobs = ImportJobs(keep_finished=2)
    started = [
        jobs.start(lambda job: job.end("saved"), owner="sam", filename=f"{n}.xlsx", dry_run=True)
        for n in range(4)
    ]
    deadline = time.monotonic() + 10
    while any(job.running for job in started) and time.monotonic() < deadline:
        time.sleep(0.01)
    jobs.start(lambda job: job.end("saved"), owner="sam", filename="last.xlsx", dry_run=True)
    assert len(jobs._jobs) <= 3  # the two newest that ended, and the new one
    assert jobs.get(started[0].id, "sam") is None


def test_a_job_that_breaks_says_so_and_logs_no_data(caplog):
    jobs = ImportJobs()

    def broken(job):
        raise ValueError("Sam Taylor <sam@example.org>")

    job = jobs.start(broken, owner="sam", filename="x.xlsx", dry_run=False)
    deadline = time.monotonic() + 10
    while job.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert job.state == "failed" and "nothing was saved" in job.summary
    assert "sam@example.org" not in caplog.text
