"""Not part of the project: the probe tests/test_migration_guide.py runs inside each adopted
copy. ``python probe.py rows.json result.json`` (cwd: the copy) migrates a fresh SQLite
database, seeds a fixed data set, sends every request of ``rows.json`` through Django's
test client, each in a transaction rolled back afterwards, and writes status, normalised JSON
body, ETag presence, query count and the warnings the request raised (``PROBE_DEBUG=1``
turns ``DEBUG`` on, as a developer's runserver has it).
"""

from __future__ import annotations

import json
import os
import re
import sys
import warnings
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "existing_project.settings")

import django

django.setup()

if os.environ.get("PROBE_DEBUG"):
    from django.conf import settings

    settings.DEBUG = True

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
SECRET_KEYS = {"access", "refresh", "token"}
FIXED = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def seed() -> dict[str, str]:
    from library.models import Author, Book, Genre, Publisher, Review, Shelf
    from rest_framework.authtoken.models import Token
    from rest_framework_simplejwt.tokens import RefreshToken

    users = get_user_model().objects
    alice = users.create_user("alice", "alice@example.com", "alice-password")
    bob = users.create_user("bob", "bob@example.com", "bob-password")
    carol = users.create_user("carol", "carol@example.com", "carol-password", is_active=False)
    le_guin = Author.objects.create(name="Ursula K. Le Guin", country="US", website="")
    herbert = Author.objects.create(name="Frank Herbert", country="US", email="fh@example.com")
    jansson = Author.objects.create(name="Tove Jansson", country="FI")
    genres = [
        Genre.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        for name in ("Science fiction", "Fantasy", "Children")
    ]
    ace = Publisher.objects.create(name="Ace", city="New York", founded=1952)
    Publisher.objects.create(name="Gollancz", city="London")
    books = []
    for index, (title, author, fmt) in enumerate(
        [
            ("A Wizard of Earthsea", le_guin, "pb"),
            ("The Left Hand of Darkness", le_guin, "hc"),
            ("The Dispossessed", le_guin, ""),
            ("The Lathe of Heaven", le_guin, "eb"),
            ("Dune", herbert, "pb"),
            ("Dune Messiah", herbert, "pb"),
            ("Comet in Moominland", jansson, ""),
            ("Finn Family Moomintroll", jansson, "hc"),
        ]
    ):
        book = Book.objects.create(
            title=title,
            author=author,
            publisher=ace if author is herbert else None,
            isbn=f"97800000000{index}",
            format=fmt,
            price=Decimal("9.99") + index,
            available=index % 3 != 2,
        )
        book.genres.set(genres[2:] if author is jansson else genres[:2])
        books.append(book)
    reading = Shelf.objects.create(name="Reading", owner=alice, is_current=True)
    reading.books.set(books[:2])
    Shelf.objects.create(name="Later", owner=alice)
    Shelf.objects.create(name="Bob's", owner=bob).books.set(books[4:6])
    for index, (book, reviewer, rating) in enumerate(
        [(0, alice, 5), (0, bob, 4), (4, alice, 5), (4, carol, 1), (6, bob, 3), (1, alice, 4)]
    ):
        Review.objects.create(book=books[book], reviewer=reviewer, rating=rating, body=f"#{index}")
    for model in (Author, Book):
        model.objects.update(created_at=FIXED, updated_at=FIXED)
    for model in (Shelf, Review):
        model.objects.update(created_at=FIXED)
    return {
        "token": Token.objects.create(user=alice).key,
        "access": str(RefreshToken.for_user(alice).access_token),
        "refresh": str(RefreshToken.for_user(alice)),
    }


def normalise(value):
    if isinstance(value, dict):
        return {
            key: "<secret>" if key in SECRET_KEYS and isinstance(item, str) else normalise(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return "2000-01-01T00:00:00Z"  # any timestamp: they differ between runs
    return value


def send(row: dict, secrets: dict[str, str], clients: dict[str, Client]) -> dict:
    auth = row.get("auth", "anon")
    client = clients["session" if auth == "session" else "anon"]
    headers = dict(row.get("headers") or {})
    if auth == "token":
        headers["Authorization"] = f"Token {secrets['token']}"
    elif auth == "jwt":
        headers["Authorization"] = f"Bearer {secrets['access']}"
    kwargs: dict = {"headers": headers}
    if row.get("multipart") is not None:
        kwargs["data"] = {
            name: SimpleUploadedFile(filename, content.encode(), content_type="image/png")
            for name, (filename, content) in row["multipart"].items()
        }
        if row["method"] != "POST":
            # Client.put does not encode multipart itself
            from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

            kwargs["data"] = encode_multipart(BOUNDARY, kwargs["data"])
            kwargs["content_type"] = MULTIPART_CONTENT
    elif "json" in row:
        body = json.dumps(row["json"]).replace('"{refresh}"', json.dumps(secrets["refresh"]))
        kwargs["data"] = body
        kwargs["content_type"] = "application/json"
    method = getattr(client, row["method"].lower())
    with CaptureQueriesContext(connection) as queries:
        response = method(row["path"], **kwargs)
    content_type = response.headers.get("Content-Type", "")
    body = None
    if "json" in content_type and response.content:
        body = normalise(json.loads(response.content))
    error = getattr(response, "exc_info", None)
    text = ""
    if body is None and response.status_code >= 500:
        text = response.content.decode(errors="replace")[:300]
    return {
        "exception": f"{error[0].__name__}: {error[1]}" if error else None,
        "status": response.status_code,
        "content_type": content_type.split(";")[0],
        "body": body,
        "etag": "ETag" in response.headers,
        "text": text,
        "queries": len(queries),
    }


def main() -> None:
    rows = json.loads(Path(sys.argv[1]).read_text())
    call_command("migrate", verbosity=0, interactive=False)
    secrets = seed()
    # a crash is a 500 to record, as a real client would get it, not an exception here
    session = Client(raise_request_exception=False)
    session.force_login(get_user_model().objects.get(username="alice"))
    clients = {"anon": Client(raise_request_exception=False), "session": session}
    results = {}
    for row in rows:
        # each request on the seeded data alone: a write one step refuses cannot shift
        # the counts and ids that later rows see
        with transaction.atomic(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            results[row["name"]] = send(row, secrets, clients)
            results[row["name"]]["warnings"] = sorted(
                {
                    f"{w.category.__name__}: {w.message}"
                    for w in caught
                    if w.category.__module__.startswith("django_typed_api")
                }
            )
            transaction.set_rollback(True)
    Path(sys.argv[2]).write_text(json.dumps(results, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
