"""docs/migrating.md, executed on an existing DRF project (tests/existing_project/).

The fixture is a library catalogue written the way an ordinary team writes a DRF project
(APIViews, function views, versioning, nested routes, hand-built error responses, simplejwt and
authtoken views, its own exception handler). Each test copies it to a temporary directory,
applies steps 1..N of the guide as the guide writes them (the guide's Python blocks are read
from the page; the steps written as prose are encoded below, each under the guide's heading),
plus the project's own code changes the guide asks for (``existing_project/changes/*.diff``:
fix drf-spectacular's warnings before starting, annotate custom actions at step 1, raise
instead of hand-built errors and choose pagination per list at step 3), each applied only
where the guide's words say so and after the warning that names it, and then checks the
adopted copy:

* ``manage.py check`` passes and ``manage.py spectacular --validate`` does not crash (run with
  ``--skip-checks``, so a crashing check cannot hide a generation crash);
* operationIds are unique; once the package names them (step 1 on) they start with a verb,
  carry no class suffix (``Api``, ``View``) and no collision number (``_2``);
* a fixed table of requests answers what the stock project answers, except for the changes
  the guide announces for that step or an earlier one (each quoting the guide's words);
* every answer the schema documents validates against it, unless stock's schema was already
  wrong about it in the same way;
* no list endpoint makes more queries than it did before.

Every problem of a step is reported at once, so a failure names everything that step breaks.
``make test-migration`` runs it (in ``make test``); the operationId table before/after is
generated into docs/migrating.md (``MIGRATION_WRITE_TABLE=1`` rewrites it, otherwise a
difference fails).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from .docs_runner import blocks, section

pytestmark = pytest.mark.migration

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "existing_project"
#: The project's own changes, as diffs, each made where the guide tells its reader to make it.
CHANGES = FIXTURE / "changes"
GUIDE = ROOT / "docs" / "migrating.md"
PYTHON = sys.executable
TIMEOUT = 180

# The guide's headings, in order; step 0 is the stock project.
HEADINGS = {
    1: "Step 1: install, names only",
    2: "Step 2: the `SPECTACULAR_SETTINGS` preset",
    3: "Step 3: the `REST_FRAMEWORK` preset",
    4: "Step 4: JWT",
    5: "Step 5: models and viewsets",
    6: "Step 6: keep it honest in CI",
}

# -- the request table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One request. ``auth``: anon, session (alice logged in), token (DRF authtoken) or jwt.

    ``is_list``: its query count must not grow. ``hand_built``: the stock view builds its error
    body itself; step 3 tells the project to raise instead, so from then on it is an envelope.
    ``since``: a step from which the guide announces a different answer: (step, status) or
    (step, status, body); for an error, body is the envelope's ``error``. ``paginated_since``:
    the step from which the list is a page (and one more query, the count). ``guide``: the
    words of that step of the guide that announce the change (asserted to be there)."""

    name: str
    method: str
    path: str
    auth: str = "anon"
    json: Any = None
    multipart: dict[str, tuple[str, str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    is_list: bool = False
    hand_built: bool = False
    since: tuple[Any, ...] | None = None
    etag_since: int | None = None
    paginated_since: int | None = None
    guide: str = ""

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "method": self.method,
            "path": self.path,
            "auth": self.auth,
            "headers": self.headers,
            "multipart": self.multipart,
        }
        if self.json is not None:
            data["json"] = self.json
        return data


BOOK = {
    "title": "The Word for World Is Forest",
    "author": 1,
    "genres": [1, 2],
    "isbn": "9780000000100",
    "format": "",
    "price": "8.50",
    "available": True,
}

ROWS = [
    # authors: ModelViewSet, filterset_fields, a noun-named list action
    Row("list authors", "GET", "/api/authors/", is_list=True),
    Row("filter authors", "GET", "/api/authors/?country=FI", is_list=True),
    Row("retrieve author", "GET", "/api/authors/1/", etag_since=5, guide="ETag on reads"),
    Row("retrieve missing author", "GET", "/api/authors/999/"),
    Row("author stats (GET list action)", "GET", "/api/authors/stats/"),
    Row(
        "create author, blank email and url",
        "POST",
        "/api/authors/",
        "session",
        json={"name": "Octavia E. Butler", "email": "", "website": ""},
    ),
    Row("create author anonymously", "POST", "/api/authors/", json={"name": "Nobody"}),
    Row(
        "create author, bad email",
        "POST",
        "/api/authors/",
        "session",
        json={"name": "X", "email": "not-an-email"},
    ),
    Row("create author, empty name", "POST", "/api/authors/", "session", json={"name": ""}),
    # books: own filter backends, search, ordering, a noun-named detail action (paginated)
    Row("list books", "GET", "/api/books/", is_list=True),
    Row("list books page 2", "GET", "/api/books/?page=2", is_list=True),
    Row(
        "list books, page_size over the view's max",
        "GET",
        "/api/books/?page_size=1000",
        is_list=True,
    ),
    Row("filter books", "GET", "/api/books/?available=true&author=1", is_list=True),
    Row("search books", "GET", "/api/books/?search=dune", is_list=True),
    Row("order books", "GET", "/api/books/?ordering=-price", is_list=True),
    Row("retrieve book", "GET", "/api/books/1/", etag_since=5, guide="ETag on reads"),
    Row(
        "related books (GET detail action, paginated)", "GET", "/api/books/1/related/", is_list=True
    ),
    Row("create book with integer ids", "POST", "/api/books/", "session", json=BOOK),
    Row(
        "create book, id sent as a string",
        "POST",
        "/api/books/",
        "session",
        json={**BOOK, "title": "Always Coming Home", "author": "1", "isbn": "9780000000101"},
        since=(3, 400),
        guide="a JSON value of another type than the schema says",
    ),
    Row("create book anonymously with a bad body", "POST", "/api/books/", json={"title": 5}),
    Row(
        "create book, unknown author",
        "POST",
        "/api/books/",
        "session",
        json={**BOOK, "author": 999},
    ),
    Row("partially update book", "PATCH", "/api/books/2/", "session", json={"price": "12.50"}),
    Row("delete book", "DELETE", "/api/books/8/", "session"),
    Row(
        "upload a cover that is not an image",
        "PUT",
        "/api/books/1/cover/",
        "session",
        multipart={"cover": ("cover.txt", "not an image")},
    ),
    Row(
        "upload a png cover",
        "PUT",
        "/api/books/1/cover/",
        "session",
        multipart={"cover": ("cover.png", "png bytes")},
    ),
    # nested routes: same model as /books/
    Row("list an author's books (nested)", "GET", "/api/authors/1/books/", is_list=True),
    Row("nested list of a missing author", "GET", "/api/authors/999/books/"),
    Row(
        "retrieve an author's book (nested)",
        "GET",
        "/api/authors/1/books/1/",
        etag_since=5,
        guide="ETag on reads",
    ),
    Row(
        "create an author's book (nested)",
        "POST",
        "/api/authors/2/books/",
        "session",
        json={"title": "Children of Dune", "price": "7.00"},
    ),
    # one function view behind two URLs
    Row("count books", "GET", "/api/books/count/"),
    Row("count an author's books", "GET", "/api/authors/1/books/count/"),
    # a second viewset on Book, filterset_fields through the default backends
    Row("staff list of books", "GET", "/api/manage/books/", is_list=True),
    Row(
        "staff list, invalid boolean filter",
        "GET",
        "/api/manage/books/?available=maybe",
        is_list=True,
        since=(3, 400),
        guide="`filterset_fields` exactly as with a `filterset_class` (`?remote=maybe` is a 400",
    ),
    # shelves: no updated_at, unpaginated (pagination_class = None), get_queryset() guard
    Row("list shelves", "GET", "/api/shelves/", "session", is_list=True),
    Row("list shelves with a token", "GET", "/api/shelves/", "token", is_list=True),
    Row("list shelves with a JWT", "GET", "/api/shelves/", "jwt", is_list=True),
    Row("list shelves anonymously", "GET", "/api/shelves/"),
    Row("current shelves (GET list action)", "GET", "/api/shelves/current/", "session"),
    Row("retrieve shelf", "GET", "/api/shelves/1/", "session", etag_since=5, guide="ETag on reads"),
    Row("rename shelf", "PATCH", "/api/shelves/2/", "session", json={"name": "Someday"}),
    Row(
        "add a book to someone else's shelf (hand-built 403)",
        "POST",
        "/api/shelves/3/books/",
        "session",
        json={"book": 1},
        hand_built=True,
    ),
    Row(
        "add a book sent as a string (hand-built 400)",
        "POST",
        "/api/shelves/1/books/",
        "session",
        json={"book": "1"},
        hand_built=True,
        since=(3, 400),  # the parser checks JSON types before the view's own check
        guide="a JSON value of another type than the schema says",
    ),
    Row(
        "add a book to a missing shelf",
        "POST",
        "/api/shelves/99/books/",
        "session",
        json={"book": 1},
    ),
    # reviews: custom ListSerializer, nested object written as an integer id
    Row("list reviews", "GET", "/api/reviews/", is_list=True),
    Row("filter reviews", "GET", "/api/reviews/?rating=5", is_list=True),
    Row(
        "reviews, invalid number filter",
        "GET",
        "/api/reviews/?rating=five",
        since=(3, 400, {"rating": ["Enter a whole number."]}),
        guide='`?rating=five` answers "Enter a whole number." instead of "Enter a number."',
    ),
    Row(
        "reviews, unknown ordering field",
        "GET",
        "/api/reviews/?ordering=nonexistent",
        is_list=True,
        since=(3, 400),
        guide="unknown ordering fields are a 400",
    ),
    Row(
        "create review with the book's id",
        "POST",
        "/api/reviews/",
        "session",
        json={"book": 3, "rating": 4, "body": "Quiet and huge."},
    ),
    Row(
        "create review, rating out of range",
        "POST",
        "/api/reviews/",
        "session",
        json={"book": 3, "rating": 9},
    ),
    # genres: generic views, unpaginated by the project's default; at step 3 the project keeps
    # the plain list (pagination_class = None), as W012 asks it to decide
    Row("list genres", "GET", "/api/genres/", is_list=True),
    Row("retrieve genre", "GET", "/api/genres/1/"),
    Row(
        "create genre", "POST", "/api/genres/", "session", json={"name": "Poetry", "slug": "poetry"}
    ),
    Row(
        "create genre, duplicate slug",
        "POST",
        "/api/genres/",
        "session",
        json={"name": "Fantasy and myth", "slug": "fantasy"},
        since=(3, 409),
        guide="a value already taken (a unique field) is a 409 `conflict`",
    ),
    # versioning: namespace (v1/v2), URL path, Accept header
    # publishers: unpaginated; at step 3 the project accepts the preset's pages (W012)
    *(
        Row(
            f"publishers {version}",
            "GET",
            f"/api/{version}/publishers/",
            is_list=True,
            paginated_since=3,
            guide="**a list that was not paginated becomes a page** (`{count, next, previous, "
            "results}` instead of an array, and one more query: the count)",
        )
        for version in ("v1", "v2")
    ),
    Row("status v1", "GET", "/api/v1/status/"),
    Row("status v2", "GET", "/api/v2/status/"),
    Row("status, unknown version", "GET", "/api/v3/status/"),
    Row(
        "version from the Accept header",
        "GET",
        "/api/version/",
        headers={"Accept": "application/json; version=v2"},
    ),
    # plain APIViews and function views, hand-built errors
    Row("library stats", "GET", "/api/stats/"),
    Row("api root (function view)", "GET", "/api/"),
    Row("isbn lookup", "GET", "/api/isbn/?isbn=978000000004"),
    Row("isbn lookup without isbn (hand-built 400)", "GET", "/api/isbn/", hand_built=True),
    Row("isbn lookup, unknown (hand-built 404)", "GET", "/api/isbn/?isbn=1", hand_built=True),
    Row(
        "contact",
        "POST",
        "/api/contact/",
        json={"name": "A", "email": "a@example.com", "message": "Hi"},
    ),
    Row(
        "contact, bad body (hand-built 400)",
        "POST",
        "/api/contact/",
        json={"name": "A"},
        hand_built=True,
    ),
    # third-party views
    Row(
        "obtain a JWT pair",
        "POST",
        "/api/token/",
        json={"username": "alice", "password": "alice-password"},
    ),
    Row(
        "obtain a JWT pair, wrong password",
        "POST",
        "/api/token/",
        json={"username": "alice", "password": "nope"},
    ),
    Row(
        "refresh a JWT",
        "POST",
        "/api/token/refresh/",
        json={"refresh": "{refresh}"},
        since=(4, 200, {"access": "<secret>", "refresh": "<secret>"}),
        guide="every refresh (yours too) answers a new `refresh` beside `access`",
    ),
    Row(
        "obtain an authtoken",
        "POST",
        "/api/auth-token/",
        json={"username": "alice", "password": "alice-password"},
    ),
    Row("schema endpoint", "GET", "/api/schema/"),
    # outside DRF
    Row("unknown URL", "GET", "/api/nope/"),
    # step 4 routes django_typed_api.urls: the new login endpoint
    Row(
        "typed login",
        "POST",
        "/api/auth/login/",
        json={"username": "alice", "password": "alice-password"},
        since=(4, 200),
        guide="the new endpoints are named `login`",
    ),
]

# -- applying the guide --------------------------------------------------------------------


@cache
def guide() -> str:
    return GUIDE.read_text()


def says(text: str, phrase: str) -> bool:
    """Whether ``text`` (markdown, wrapped anywhere) contains ``phrase``."""
    return " ".join(phrase.split()) in " ".join(text.split())


def step_text(step: int) -> str:
    """The guide's words for ``step``; step 0 is the introduction ("Before you start")."""
    if step == 0:
        return guide().split(f"## {HEADINGS[1]}", 1)[0]
    return section(guide(), HEADINGS[step])[0]


def change(project: Path, step: int, diff: str, guide_says: str) -> None:
    """Apply the project's own change ``diff`` (tests/existing_project/changes/), which the
    guide asks for at ``step`` in the words ``guide_says``."""
    assert says(step_text(step), guide_says), f"step {step} no longer says: {guide_says}"
    patch = subprocess.run(
        [
            "patch",
            "-p1",
            "--forward",
            "--no-backup-if-mismatch",
            "--quiet",
            "-i",
            str(CHANGES / diff),
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert patch.returncode == 0, f"{diff} does not apply:\n{patch.stdout}{patch.stderr}"


def python_blocks(step: int) -> list[str]:
    text, first_line = section(guide(), HEADINGS[step])
    return [block.code for block in blocks(text, first_line) if block.lang == "python"]


def append_settings(project: Path, code: str, why: str) -> None:
    settings = project / "existing_project" / "settings.py"
    with settings.open("a") as handle:
        handle.write(f"\n# --- {why}\n{code.rstrip()}\n")


def before_you_start(project: Path) -> None:
    """The project fixes drf-spectacular's own warnings (type hints, ``@extend_schema`` on
    APIViews and function views, ``queryset = Model.objects.none()``): stock answers do not
    change, and the stock schema, where it guessed, is no longer the baseline of any step."""
    change(project, 0, "0-before-you-start.diff", "python manage.py spectacular --fail-on-warn")


def step_1(project: Path) -> None:
    """INSTALLED_APPS and the project-wide schema class (the guide's first alternative; the
    second, ``TypedSchemaMixin`` per viewset, is shown as an excerpt)."""
    installed, schema_class, alternative = python_blocks(1)
    assert "TypedSchemaMixin" in alternative, "step 1's third block is no longer the mixin"
    append_settings(project, installed, HEADINGS[1])
    append_settings(project, schema_class, HEADINGS[1])


def step_1_followup(project: Path) -> None:
    change(project, 1, "1-annotate-custom-actions.diff", "Annotate each action the warning names")


def step_2(project: Path) -> None:
    (preset,) = python_blocks(2)
    append_settings(project, preset, HEADINGS[2])
    # prose: "Add "drf_spectacular_sidecar" to INSTALLED_APPS" (the project does not list
    # drf_spectacular.hooks.postprocess_schema_enums, so there is nothing to remove)
    assert '"drf_spectacular_sidecar"' in section(guide(), HEADINGS[2])[0]
    append_settings(project, 'INSTALLED_APPS += ["drf_spectacular_sidecar"]', HEADINGS[2])


def step_3(project: Path) -> None:
    preset, middleware = python_blocks(3)
    append_settings(project, preset, HEADINGS[3])
    append_settings(project, middleware, HEADINGS[3])


def step_3_followup(project: Path) -> None:
    """What the step's warnings ask for: ``HandBuiltErrorWarning`` (raise instead) and W012
    (decide per list: the publishers' apps read pages, the genres dropdown keeps its list)."""
    change(project, 3, "3a-raise-instead-of-hand-built-errors.diff", "Raise the exception instead")
    change(project, 3, "3b-choose-pagination-per-list.diff", "decide per view")


def step_4(project: Path) -> None:
    """Prose: token_blacklist app, ``SIMPLE_JWT = {**presets.SIMPLE_JWT}``, route
    ``django_typed_api.urls``, migrate (the probe migrates)."""
    text = section(guide(), HEADINGS[4])[0]
    for phrase in (
        '"rest_framework_simplejwt.token_blacklist"',
        "SIMPLE_JWT = {**presets.SIMPLE_JWT}",
        "django_typed_api.urls",
    ):
        assert phrase in text, f"step 4 no longer says {phrase}"
    append_settings(
        project,
        'INSTALLED_APPS += ["rest_framework_simplejwt.token_blacklist"]\n'
        "SIMPLE_JWT = {**presets.SIMPLE_JWT}",
        HEADINGS[4],
    )
    urls = project / "existing_project" / "urls.py"
    urls.write_text(
        urls.read_text() + '\nurlpatterns += [path("api/", include("django_typed_api.urls"))]\n'
    )


TYPED_VIEWSETS = [
    "AuthorViewSet",
    "BookViewSet",
    "AuthorBookViewSet",
    "ShelfViewSet",
    "ReviewViewSet",
]


def step_5(project: Path) -> None:
    """Prose: the project's ModelViewSets become ``TypedModelViewSet`` (lost-update protection,
    ETag on reads). Models keep their integer keys, as the guide advises."""
    assert "`TypedModelViewSet`" in section(guide(), HEADINGS[5])[0]
    views = project / "library" / "views.py"
    source = views.read_text()
    for name in TYPED_VIEWSETS:
        old = f"class {name}(viewsets.ModelViewSet):"
        assert old in source, old
        source = source.replace(old, f"class {name}(TypedModelViewSet):")
    views.write_text("from django_typed_api.viewsets import TypedModelViewSet\n" + source)


def step_6(project: Path) -> None:
    """Nothing to change in the project; the command runs in :func:`adopt`."""
    text = section(guide(), HEADINGS[6])[0]
    assert "python manage.py sync_types --check --validate --fail-on-warn" in text


APPLY = {1: step_1, 2: step_2, 3: step_3, 4: step_4, 5: step_5, 6: step_6}
#: The project's answer to the warnings a step makes it see, applied right after that step.
FOLLOWUPS = {1: step_1_followup, 3: step_3_followup}

# -- running one step ----------------------------------------------------------------------


@dataclass
class Outcome:
    step: int
    check: subprocess.CompletedProcess[str]
    spectacular: subprocess.CompletedProcess[str]
    schema: dict[str, Any] | None
    results: dict[str, dict[str, Any]] | None
    probe_error: str = ""
    ci: subprocess.CompletedProcess[str] | None = None

    def operation_ids(self) -> dict[tuple[str, str], str]:
        if not self.schema:
            return {}
        return {
            (path, method.upper()): operation["operationId"]
            for path, item in self.schema.get("paths", {}).items()
            for method, operation in item.items()
            if isinstance(operation, dict) and "operationId" in operation
        }


def run(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
    }
    env = {**environ, **(env or {}), "DJANGO_SETTINGS_MODULE": "existing_project.settings"}
    return subprocess.run(
        [PYTHON, *args], cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )


def prepare(step: int, base: Path, followup: bool = True) -> Path:
    """A fresh copy of the fixture with steps 1..step applied (with the project's follow-up
    changes of the last one only if ``followup``)."""
    project = base / (f"step{step}" if followup else f"step{step}-before-followup")
    shutil.copytree(
        FIXTURE,
        project,
        ignore=shutil.ignore_patterns(
            "__pycache__", "*.sqlite3", "*.md", "probe.py", "media", "changes"
        ),
    )
    if step >= 1:
        before_you_start(project)
    for number in range(1, step + 1):
        APPLY[number](project)
        if number in FOLLOWUPS and (followup or number < step):
            FOLLOWUPS[number](project)
    return project


def probe(project: Path, rows: list[Row], name: str, debug: bool = False) -> dict[str, Any]:
    """Send ``rows`` through the copy (a fresh SQLite database each time)."""
    rows_file = project / f"rows-{name}.json"
    rows_file.write_text(json.dumps([row.payload() for row in rows]))
    env = {"SQLITE_NAME": f"probe-{name}.sqlite3", **({"PROBE_DEBUG": "1"} if debug else {})}
    proc = run(project, str(FIXTURE / "probe.py"), str(rows_file), f"results-{name}.json", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return dict(json.loads((project / f"results-{name}.json").read_text()))


@cache
def adopt(step: int, base: Path) -> Outcome:
    """A fresh copy of the fixture with steps 1..step applied, checked and probed."""
    project = prepare(step, base)
    check = run(project, "manage.py", "check")
    # --skip-checks: a crashing check is reported above; this asserts generation on its own
    spectacular = run(
        project, "manage.py", "spectacular", "--validate", "--skip-checks", "--file", "schema.yaml"
    )
    schema_file = project / "schema.yaml"
    schema = yaml.safe_load(schema_file.read_text()) if spectacular.returncode == 0 else None
    rows = base / "rows.json"
    rows.write_text(json.dumps([row.payload() for row in ROWS]))
    probed = run(project, str(FIXTURE / "probe.py"), str(rows), f"results-{step}.json")
    results = (
        json.loads((project / f"results-{step}.json").read_text())
        if probed.returncode == 0
        else None
    )
    ci = None
    if step >= 6:
        # the guide's CI command, after writing the files it checks (schema only: the
        # TypeScript step needs npm and is covered by the testproject's own suite)
        run(project, "manage.py", "sync_types", "--schema-only")
        ci = run(
            project,
            "manage.py",
            "sync_types",
            "--check",
            "--schema-only",
            "--validate",
            "--fail-on-warn",
        )
    return Outcome(step, check, spectacular, schema, results, probed.stderr[-3000:], ci)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("migration")


# -- what each step may change -------------------------------------------------------------


class Anything:
    def __eq__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "<anything>"


class AnyString:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)

    def __repr__(self) -> str:
        return "<any string>"


def envelope(error: Any, status: int) -> dict[str, Any]:
    """The error envelope the guide announces at step 3: DRF's detail structure under
    ``error`` (without the project's own ``status_code`` key), plus status, message, code."""
    if isinstance(error, dict):
        error = {key: value for key, value in error.items() if key != "status_code"}
    return {"error": error, "status_code": status, "message": AnyString(), "code": AnyString()}


def expected(row: Row, step: int, stock: dict[str, Any]) -> tuple[int, Any]:
    """Status and body the guide promises for ``row`` after ``step``."""
    status, body = stock["status"], stock["body"]
    announced = row.since is not None and step >= row.since[0]
    if announced:
        assert row.since is not None
        new_status, *new_body = row.since[1:]
        if new_body:
            body = new_body[0]  # for an error: the envelope's ``error``
        elif new_status < 400:
            body = Anything()
        elif status < 400:
            body = None  # a new error: any envelope
        status = new_status
    if row.paginated_since is not None and step >= row.paginated_since:
        body = {"count": len(body), "next": None, "previous": None, "results": body}
    if step >= 3 and status >= 400:
        # "every error is the envelope"; unknown URLs too, through ErrorEnvelopeMiddleware;
        # a hand-built error is raised from step 3 on, with a detail of the project's choosing
        return status, ("envelope", None if row.hand_built else body)
    return status, body


def body_matches(want: Any, got: Any) -> bool:
    if isinstance(want, tuple) and want and want[0] == "envelope":
        if not isinstance(got, dict) or set(got) != {"error", "status_code", "message", "code"}:
            return False
        if want[1] is None or not isinstance(want[1], (dict, list)):
            return True  # the stock body was HTML, or the announced status is new
        return bool(envelope(want[1], got["status_code"]) == got)
    return bool(want == got)


VERBS = {
    "list",
    "retrieve",
    "create",
    "update",
    "partialUpdate",
    "destroy",
    "delete",
    "get",
    "search",
    "login",
    "logout",
    "refresh",
    "verify",
    "obtain",
    "upload",
    "add",
    "remove",
    "count",
    "lookup",
    "send",
    "publish",
    "check",
}


#: Stripped from the end of a class name only: ``ApiVersionView`` is the noun ``ApiVersion``.
CLASS_SUFFIX = re.compile(r"(Api|APIView|View|ViewSet)$")


def first_word(operation_id: str) -> str:
    word = re.split(r"(?=[A-Z])|_", operation_id, maxsplit=1)[0]
    if operation_id.startswith("partialUpdate"):
        return "partialUpdate"
    return word


def resolve(node: Any, components: dict[str, Any], depth: int = 0) -> Any:
    """The schema with its ``$ref``s inlined (the fixture's schemas are not recursive)."""
    assert depth < 30, "recursive schema"
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return resolve(components[name], components, depth + 1)
        return {key: resolve(value, components, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item, components, depth + 1) for item in node]
    return node


def documented_body(schema: dict[str, Any], row: Row, status: int) -> Any:
    """The JSON schema the OpenAPI document gives for this answer, or None if it gives none."""
    url = row.path.split("?", 1)[0]
    candidates = [
        (template.count("{"), template)
        for template in schema.get("paths", {})
        if re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)), url)
    ]
    if not candidates:
        return None
    operation = schema["paths"][min(candidates)[1]].get(row.method.lower())
    if not operation:
        return None
    responses = operation.get("responses", {})
    response = next(
        (
            responses[key]
            for key in (str(status), f"{status // 100}XX", "default")
            if key in responses
        ),
        None,
    )
    if response is None:
        return None
    components = schema.get("components", {})
    response = resolve(response, components.get("responses", {}) | components.get("schemas", {}))
    body = response.get("content", {}).get("application/json", {}).get("schema")
    return None if body is None else resolve(body, components.get("schemas", {}))


def schema_lies(outcome: Outcome) -> dict[str, set[tuple[str, str]]]:
    """Rows whose answer the schema documents, and documents wrongly: row name -> the
    (field, message) pairs of the mismatch."""
    from openapi_schema_validator import OAS30ReadValidator

    lies: dict[str, set[tuple[str, str]]] = {}
    if not outcome.schema or not outcome.results:
        return lies
    for row in ROWS:
        result = outcome.results[row.name]
        if result["body"] is None:
            continue
        documented = documented_body(outcome.schema, row, result["status"])
        if documented is None:
            continue
        validator = OAS30ReadValidator(documented, format_checker=OAS30ReadValidator.FORMAT_CHECKER)
        errors = {
            (re.sub(r"/\d+(?=/|$)|^\d+(?=/|$)", "/*", "/".join(map(str, e.path))), e.message[:160])
            for e in validator.iter_errors(result["body"])
        }
        if errors:
            lies[row.name] = errors
    return lies


def problems_of(outcome: Outcome, stock: Outcome) -> list[str]:
    step = outcome.step
    problems: list[str] = []
    if outcome.check.returncode != 0:
        problems.append(f"manage.py check failed:\n{tail(outcome.check)}")
    if outcome.spectacular.returncode != 0:
        problems.append(f"manage.py spectacular --validate failed:\n{tail(outcome.spectacular)}")
    ids = outcome.operation_ids()
    duplicates = sorted(op for op, n in Counter(ids.values()).items() if n > 1)
    if duplicates:
        problems.append(f"duplicate operationIds: {duplicates}")
    if step >= 1:
        verbless = sorted(
            f"{op} ({m} {p})" for (p, m), op in ids.items() if first_word(op) not in VERBS
        )
        if verbless:
            problems.append(f"{len(verbless)} operationIds do not start with a verb: {verbless}")
        suffixed = sorted(op for op in ids.values() if CLASS_SUFFIX.search(op))
        if suffixed:
            problems.append(f"class suffixes reach operationIds: {suffixed}")
        numbered = sorted(op for op in ids.values() if re.search(r"_\d+$", op))
        if numbered:
            problems.append(f"collisions resolved by a number, not from context: {numbered}")
    if step >= 2 and outcome.schema:
        components = outcome.schema.get("components", {}).get("schemas", {})
        if "BookRequest" not in components or "PatchedBookRequest" not in components:
            problems.append(
                "step 2 announces request components (BookRequest, PatchedBookRequest); "
                f"the schema has none: {sorted(c for c in components if 'Book' in c)}"
            )
    if outcome.results is None:
        problems.append(f"the request probe crashed:\n{outcome.probe_error}")
        return problems
    assert stock.results is not None
    for row in ROWS:
        before, after = stock.results[row.name], outcome.results[row.name]
        status, body = expected(row, step, before)
        where = f"{row.method} {row.path} ({row.name}, {row.auth})"
        if after["status"] != status:
            problems.append(
                f"{where}: status {after['status']}, expected {status} "
                f"(stock {before['status']}); body {short(after['body'])}"
                + (f"; raised {after['exception']}" if after.get("exception") else "")
            )
            if after.get("text"):
                problems[-1] += f"; text {after['text']!r}"
        elif not body_matches(body, after["body"]):
            problems.append(
                f"{where}: body changed\n    stock: {short(before['body'])}\n"
                f"    now:   {short(after['body'])}"
            )
        if row.etag_since is not None and step >= row.etag_since and not after["etag"]:
            problems.append(f"{where}: no ETag, which step 5 announces for TypedModelViewSet")
        counted = row.paginated_since is not None and step >= row.paginated_since
        if row.is_list and after["queries"] > before["queries"] + counted:
            problems.append(f"{where}: {after['queries']} queries, stock {before['queries']}")
    # one line per kind of mismatch, naming every answer that shows it
    stock_lies, kinds = schema_lies(stock), defaultdict(list)
    for name, errors in schema_lies(outcome).items():
        new = sorted(errors - stock_lies.get(name, set()))
        if new:
            row = next(row for row in ROWS if row.name == name)
            kinds[tuple(new[:3])].append(f"{row.method} {row.path} ({row.name})")
    for mismatches, rows in kinds.items():
        shown = "; ".join(f"{where or '(body)'}: {message}" for where, message in mismatches)
        problems.append(
            f"the schema documents a body the server does not send ({shown}) for "
            f"{len(rows)} answers: " + ", ".join(rows)
        )
    if outcome.ci is not None and outcome.ci.returncode != 0:
        new = spectacular_warnings(outcome.ci) - spectacular_warnings(stock.spectacular)
        if "Traceback" in outcome.ci.stderr or new:
            problems.append(f"the guide's CI command failed:\n{tail(outcome.ci)}")
        else:
            problems.append(
                "the guide's CI command fails only on drf-spectacular warnings the stock project "
                f"already has ({len(spectacular_warnings(outcome.ci))}); the guide does not say "
                "to fix them first:\n" + tail(outcome.ci, 8)
            )
    return problems


def spectacular_warnings(proc: subprocess.CompletedProcess[str]) -> set[str]:
    """drf-spectacular's warnings and errors, without the file and line they point at."""
    return {
        line.split(": ", 1)[1]
        for line in proc.stderr.splitlines()
        if re.search(r": (Warning|Error) \[", line)
    }


def tail(proc: subprocess.CompletedProcess[str], lines: int = 25) -> str:
    """A crash as its exception and the package's frames; anything else as its last lines."""
    text = (proc.stdout + proc.stderr).strip().splitlines()
    if any(line.startswith("Traceback") for line in text):
        frames = [
            re.sub(r'.*/(django_typed_api/[^"]+)", line (\d+), in (\w+)', r"\1:\2 \3", line)
            for line in text
            if "/django_typed_api/" in line and line.lstrip().startswith("File")
        ]
        return "    " + "\n    ".join([*frames, text[-1]])
    return "\n".join(text[-lines:])


def short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


# -- the tests -----------------------------------------------------------------------------


def test_the_stock_project_answers_the_request_table(workdir: Path) -> None:
    """Step 0: the fixture itself is healthy, so every later difference is the guide's."""
    stock = adopt(0, workdir)
    assert stock.check.returncode == 0, tail(stock.check)
    assert stock.spectacular.returncode == 0, tail(stock.spectacular)
    assert stock.results is not None, stock.probe_error
    server_errors = [name for name, r in stock.results.items() if r["status"] >= 500]
    assert server_errors == []
    assert problems_of(stock, stock) == []


@pytest.mark.parametrize("step", list(HEADINGS), ids=[f"step{n}" for n in HEADINGS])
def test_each_step_of_the_guide_keeps_the_project_working(step: int, workdir: Path) -> None:
    stock = adopt(0, workdir)
    assert stock.results is not None, "the stock project does not run; see the step-0 test"
    problems = problems_of(adopt(step, workdir), stock)
    assert not problems, f"{HEADINGS[step]}: {len(problems)} problems\n- " + "\n- ".join(problems)


def names_table(workdir: Path) -> str:
    stock, named, final = adopt(0, workdir), adopt(1, workdir), adopt(max(HEADINGS), workdir)
    before, after, last = stock.operation_ids(), named.operation_ids(), final.operation_ids()
    lines = [
        "| operation | drf-spectacular | step 1 | after step 6 |",
        "| --- | --- | --- | --- |",
    ]

    def cell(ids: dict[tuple[str, str], str], outcome: Outcome, key: tuple[str, str]) -> str:
        if outcome.schema is None:
            return "(schema generation failed)"
        return f"`{ids[key]}`" if key in ids else "-"

    for key in sorted(set(before) | set(after) | set(last)):
        path, method = key
        lines.append(
            f"| `{method} {path}` | {cell(before, stock, key)} | {cell(after, named, key)} "
            f"| {cell(last, final, key)} |"
        )
    return "\n".join(lines)


TABLE_START = (
    "<!-- names-table: generated by tests/test_migration_guide.py; do not edit by hand -->"
)
TABLE_END = "<!-- /names-table -->"


def test_the_guide_shows_the_names_before_and_after(workdir: Path) -> None:
    """The table in docs/migrating.md is the one the adoption produces (``-s`` prints it;
    ``MIGRATION_WRITE_TABLE=1`` writes it into the page)."""
    table = names_table(workdir)
    print("\n" + table)
    assert "(schema generation failed)" not in table
    text = GUIDE.read_text()
    head, rest = text.split(TABLE_START + "\n", 1)
    current, tail_ = rest.split(TABLE_END, 1)
    if os.environ.get("MIGRATION_WRITE_TABLE"):
        GUIDE.write_text(f"{head}{TABLE_START}\n{table}\n{TABLE_END}{tail_}")
        guide.cache_clear()
        return
    assert current.strip() == table, (
        "docs/migrating.md's names table is out of date: "
        "MIGRATION_WRITE_TABLE=1 make test-migration, then read the diff"
    )


def test_every_change_a_step_announces_is_in_that_step_of_the_guide() -> None:
    """Each changed expectation of the request table quotes the guide; a guide that stops
    saying it fails here, not silently in the comparison."""
    missing = []
    for row in ROWS:
        step = next(
            (n for n in (row.since and row.since[0], row.paginated_since, row.etag_since) if n),
            None,
        )
        if step is not None and not (row.guide and says(step_text(step), row.guide)):
            missing.append(f"{row.name}: step {step} does not say {row.guide!r}")
        if row.hand_built and not says(step_text(3), "Raise the exception instead"):
            missing.append(f"{row.name}: step 3 no longer says to raise instead")
    assert says(step_text(3), "every error is the [envelope]")
    assert missing == []


def test_the_warnings_the_guide_points_to_name_what_the_project_changes(workdir: Path) -> None:
    """The project changes its code only where a warning the guide points to names it: before
    it starts (drf-spectacular's own), at step 1 (custom actions), at step 3 (W012, and
    ``HandBuiltErrorWarning`` in DEBUG); after each change the warning is gone."""
    stock = adopt(0, workdir)
    assert spectacular_warnings(stock.spectacular), "the stock project has no warnings to fix"

    # step 1 before annotating: drf-spectacular's own warnings are fixed, ours name the actions
    named = prepare(1, workdir, followup=False)
    strict = run(named, "manage.py", "spectacular", "--fail-on-warn", "--file", "schema.yaml")
    assert strict.returncode != 0
    warned = {
        re.search(r"(\w+\.\w+): the (?:response|request body) of this custom action", w).group(1)
        for w in spectacular_warnings(strict)
        if "custom action" in w
    }
    assert len(spectacular_warnings(strict)) == len(warned) == 3, spectacular_warnings(strict)
    annotated = set(
        re.findall(r"^[ +]\s+@action\(.*\)\n[ +]\s+def (\w+)\(", diff_text(1), flags=re.M)
    )
    assert {name.split(".")[1] for name in warned} == annotated
    assert not spectacular_warnings(adopt(1, workdir).spectacular)

    # step 3 before following up: W012 names the lists, DEBUG warns about hand-built errors
    settled = prepare(3, workdir, followup=False)
    check = run(settled, "manage.py", "check")
    paginated = set(re.findall(r"\(library\.views\.(\w+)\)", w012(check)))
    assert paginated == {"GenreList", "PublisherViewSet"}
    assert len(re.findall(r"^\+\s+pagination_class = ", diff_text("3b"), flags=re.M)) == 2
    assert w012(adopt(3, workdir).check) == ""
    hand_built = [row for row in ROWS if row.hand_built]
    raised = {row.name for row in hand_built if not (row.since and row.since[0] <= 3)}
    before = probe(settled, hand_built, "hand-built", debug=True)
    assert {
        name
        for name, r in before.items()
        if any("HandBuiltErrorWarning" in w for w in r["warnings"])
    } == raised
    after = probe(prepare(3, workdir / "again"), hand_built, "hand-built", debug=True)
    assert [r["warnings"] for r in after.values()] == [[]] * len(hand_built)


def diff_text(step: int | str) -> str:
    (diff,) = CHANGES.glob(f"{step}-*.diff") if isinstance(step, int) else CHANGES.glob(f"{step}*")
    return diff.read_text()


def w012(check: subprocess.CompletedProcess[str]) -> str:
    text = check.stdout + check.stderr
    found = re.search(r"\(django_typed_api\.W012\)[^\n]*", text)
    return found.group(0) if found else ""
