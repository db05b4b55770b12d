"""/api/schema/ renders once per process and answers from memory; the docs need no CDN."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client, override_settings
from django.utils.autoreload import file_changed

from django_typed_api import typesync
from django_typed_api.openapi import views as schema_views
from django_typed_api.openapi.views import schema_cache

SCHEMA_URL = "/api/schema/"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    schema_cache.clear()
    yield
    schema_cache.clear()


@pytest.fixture
def generations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts real schema generations (the real generator still runs)."""
    calls: list[int] = []
    real = typesync.generate_schema

    def counting(**kwargs: object) -> dict:
        calls.append(1)
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(schema_views, "generate_schema", counting)
    return calls


@pytest.fixture
def client() -> Client:
    return Client()


def test_serves_the_bytes_sync_types_writes(client: Client) -> None:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert response.content == typesync.render_schema(typesync.generate_schema(), "yaml")


def test_repeated_gets_do_not_regenerate(client: Client, generations: list[int]) -> None:
    first = client.get(SCHEMA_URL)
    second = client.get(SCHEMA_URL)
    assert len(generations) == 1
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_strong_etag_and_304_on_if_none_match(client: Client) -> None:
    etag = client.get(SCHEMA_URL)["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    response = client.get(SCHEMA_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "no-cache"


def test_weak_form_of_the_etag_also_matches(client: Client) -> None:
    """GZipMiddleware weakens ETags; clients send them back as W/"..."."""
    etag = client.get(SCHEMA_URL)["ETag"]
    assert client.get(SCHEMA_URL, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(SCHEMA_URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_json_by_query_or_accept_header_with_its_own_etag(client: Client) -> None:
    as_yaml = client.get(SCHEMA_URL)
    by_query = client.get(SCHEMA_URL, {"format": "json"})
    by_accept = client.get(SCHEMA_URL, HTTP_ACCEPT="application/json")
    assert by_query["Content-Type"] == "application/vnd.oai.openapi+json"
    assert by_accept["Content-Type"] == "application/json"
    assert by_query.content == by_accept.content
    assert json.loads(by_query.content) == yaml.safe_load(as_yaml.content)
    assert by_query["ETag"] == by_accept["ETag"] != as_yaml["ETag"]
    yaml_tag_for_json = client.get(
        SCHEMA_URL, {"format": "json"}, HTTP_IF_NONE_MATCH=as_yaml["ETag"]
    )
    assert yaml_tag_for_json.status_code == 200


def test_gzip_is_compressed_once_and_served_precompressed(client: Client) -> None:
    plain = client.get(SCHEMA_URL)
    zipped = client.get(SCHEMA_URL, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 4
    assert zipped["ETag"] != plain["ETag"]
    assert {"Accept", "Accept-Encoding"} <= {v.strip() for v in zipped["Vary"].split(",")}
    again = client.get(SCHEMA_URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    assert again.status_code == 304


def test_gzip_middleware_leaves_the_precompressed_body_alone(client: Client) -> None:
    middleware = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    with override_settings(MIDDLEWARE=middleware):
        plain = client.get(SCHEMA_URL)
        zipped = client.get(SCHEMA_URL, HTTP_ACCEPT_ENCODING="gzip")
        assert gzip.decompress(zipped.content) == plain.content
        revalidated = client.get(
            SCHEMA_URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=f"W/{zipped['ETag']}"
        )
        assert revalidated.status_code == 304


def test_an_autoreload_file_change_invalidates_the_schema(
    client: Client, generations: list[int]
) -> None:
    client.get(SCHEMA_URL)
    file_changed.send(sender=None, file_path=Path(__file__))
    client.get(SCHEMA_URL)
    assert len(generations) == 2


def test_a_settings_change_invalidates_the_schema(client: Client) -> None:
    def list_operation_id() -> str:
        schema = yaml.safe_load(client.get(SCHEMA_URL).content)
        return str(schema["paths"]["/api/vacancies/"]["get"]["operationId"])

    before = list_operation_id()
    with override_settings(TYPED_API={**settings.TYPED_API, "OPERATION_VERBS": {"list": "fetch"}}):
        during = list_operation_id()
    assert (before, during, list_operation_id()) == (
        "listVacancies",
        "fetchVacancies",
        "listVacancies",
    )


def test_not_stored_in_the_cache_backend(client: Client) -> None:
    from django.core.cache import cache

    cache.clear()
    client.get(SCHEMA_URL)
    client.get(SCHEMA_URL)
    assert cache.get(SCHEMA_URL) is None
    assert len(schema_cache) == 1


# -- docs UIs, offline ---------------------------------------------------------------------


class _Refs(HTMLParser):
    """Every URL a page makes the browser load: src/href attributes and url(...) in styles."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "spec-url", "action") and value:
                self.urls.append(value)


def page_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_reference_no_external_url(client: Client, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", html), "external URL in page"
    refs = page_refs(html)
    assert refs and all(ref.startswith("/") for ref in refs)


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_assets_are_served_locally(client: Client, page: str) -> None:
    html = client.get(page).content.decode()
    static = "/" + settings.STATIC_URL.lstrip("/")
    # Static files, and Redoc's bundle with its logo made local (/api/redoc/redoc.standalone.js).
    assets = [ref for ref in page_refs(html) if ref.startswith((static, "/api/"))]
    assert assets, "the page loads no local assets"
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        streamed = getattr(response, "streaming_content", None)
        body = b"".join(streamed) if streamed is not None else response.content
        assert body, asset
    assert SCHEMA_URL in html  # and the schema itself comes from this server


def test_redoc_loads_its_bundle_with_the_logo_served_locally(client: Client) -> None:
    html = client.get("/api/redoc/").content.decode()
    assert "/api/redoc/redoc.standalone.js" in page_refs(html)
    bundle = client.get("/api/redoc/redoc.standalone.js")
    assert bundle.status_code == 200
    assert bundle["Content-Type"].startswith("text/javascript")
    assert b"cdn.redoc.ly" not in bundle.content
    logo = "/" + settings.STATIC_URL.lstrip("/") + "django_typed_api/redoc-logo.svg"
    assert logo.encode() in bundle.content
    assert client.get(logo).status_code == 200
    again = client.get("/api/redoc/redoc.standalone.js", HTTP_IF_NONE_MATCH=bundle["ETag"])
    assert again.status_code == 304


def test_redoc_describes_the_not_blank_rule_in_words(client: Client) -> None:
    from django_typed_api.openapi.strings import NOT_BLANK
    from django_typed_api.openapi.views import NOT_BLANK_WORDS

    html = client.get("/api/redoc/").content.decode()
    data = json.loads(re.search(r'id="typed-api-not-blank"[^>]*>(.*?)</script>', html).group(1))
    assert data == {"pattern": NOT_BLANK, "words": NOT_BLANK_WORDS}
    schema = client.get(SCHEMA_URL, {"format": "json"}).json()
    assert f'"pattern": {json.dumps(NOT_BLANK)}' in json.dumps(schema)  # the schema keeps it
