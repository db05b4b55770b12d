"""TypedContentNegotiation remembers its choice per Accept header, format and renderers: the
same renderer and media type as DRF's negotiation, a bounded table, subclasses respected."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from django_typed_api import negotiation
from django_typed_api.negotiation import TypedContentNegotiation
from django_typed_api.renderers import TypedJSONRenderer

RENDERERS = (TypedJSONRenderer, BrowsableAPIRenderer)


def request(accept: str | None, query: str = "") -> Request:
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    return Request(APIRequestFactory().get(f"/api/skills/{query}", **headers))


def choose(negotiator: Any, accept: str | None, query: str = "", suffix: str | None = None):
    renderers = [cls() for cls in RENDERERS]
    renderer, media_type = negotiator.select_renderer(request(accept, query), renderers, suffix)
    return type(renderer), media_type


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/json",
        "application/json; indent=4",
        "application/*;q=0.5, text/html",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_the_remembered_choice_is_drfs(accept: str | None, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        first = choose(TypedContentNegotiation(), accept)
        again = choose(TypedContentNegotiation(), accept)
        renderers = [cls() for cls in RENDERERS]
        if not debug:
            renderers = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        drf = DefaultContentNegotiation().select_renderer(request(accept), renderers)
    assert first == again == (type(drf[0]), drf[1])


def test_a_format_parameter_or_suffix_is_part_of_the_choice() -> None:
    typed = TypedContentNegotiation()
    with override_settings(DEBUG=True):
        assert choose(typed, "*/*")[0] is TypedJSONRenderer
        assert choose(typed, "*/*", "?format=api")[0] is BrowsableAPIRenderer
        assert choose(typed, "*/*", suffix="api")[0] is BrowsableAPIRenderer


def test_an_unacceptable_request_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(NotAcceptable):
            choose(TypedContentNegotiation(), "text/html")


def test_the_table_stays_bounded_whatever_clients_send() -> None:
    for n in range(3 * negotiation.MAX_REMEMBERED_CHOICES):
        choose(TypedContentNegotiation(), f"application/json; client={n}")
    assert len(negotiation._CHOICES) <= negotiation.MAX_REMEMBERED_CHOICES


def test_a_subclass_that_reads_accept_its_own_way_is_asked_every_time() -> None:
    class HTMLForEveryone(TypedContentNegotiation):
        def get_accept_list(self, request: Any) -> list[str]:
            return ["text/html"]

    with override_settings(DEBUG=True):
        # The base class remembers JSON for "*/*"; the subclass must not be given that choice.
        assert choose(TypedContentNegotiation(), "*/*")[0] is TypedJSONRenderer
        assert choose(HTMLForEveryone(), "*/*") == (BrowsableAPIRenderer, "text/html")
