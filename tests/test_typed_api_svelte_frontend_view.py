"""The testproject serves the built SvelteKit app on the API's origin (testproject/frontend.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from testproject import frontend


@pytest.fixture
def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minimal adapter-static output: the fallback page and one hashed asset."""
    (tmp_path / "_app" / "immutable").mkdir(parents=True)
    (tmp_path / "index.html").write_text("<!doctype html><title>Vacancies</title>")
    (tmp_path / "_app" / "immutable" / "start.abc123.js").write_text("export {};")
    monkeypatch.setattr(frontend, "BUILD_DIR", tmp_path)
    return tmp_path


def test_deep_links_get_the_single_page_app(build: Path, client: Client) -> None:
    for url in ("/", "/vacancies", "/vacancies/0b5f3c9e-1c1a-4d2e-9b43-6a1c2f1d9e00/edit"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"<title>Vacancies</title>" in b"".join(response.streaming_content)
        assert response["Cache-Control"] == "no-cache"


def test_hashed_assets_are_served_and_cached_forever(build: Path, client: Client) -> None:
    response = client.get("/_app/immutable/start.abc123.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"export {};"
    assert "immutable" in response["Cache-Control"]


def test_the_api_keeps_its_own_routes_and_json_errors(build: Path, client: Client, db) -> None:
    assert client.get("/api/skills/").status_code == 200
    missing = client.get("/api/no-such-endpoint/")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")


def test_an_unbuilt_front_end_says_how_to_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    monkeypatch.setattr(frontend, "BUILD_DIR", tmp_path / "missing")
    response = client.get("/vacancies")
    assert response.status_code == 404
    assert b"make frontend-build" in response.content
