"""The first home page and its JSON twin."""

from __future__ import annotations


def test_home_page_shows_counts_and_banner(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "communities" in page and "places" in page
    assert "Illustrative data" in page
    assert "Greater Manchester reference data" in page


def test_home_json_twin_has_the_same_counts(client):
    data = client.get("/api/").get_json()
    assert data["ok"] is True
    assert data["counts"]["places"] >= 226
    assert data["illustrative"] is True
    assert data["counts"]["communities"] >= 25


def test_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_stylesheet_is_served_locally(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.split("<body")[0].replace("http://127.0.0.1", "")
    assert client.get("/static/style.css").status_code == 200
