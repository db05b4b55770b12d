"""The pure naming rules: plurals, camelCase ids and summaries."""

import pytest

from django_typed_api import naming


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("Vacancy", "Vacancies"),
        ("Company", "Companies"),
        ("Person", "People"),
        ("Analysis", "Analyses"),
        ("Category", "Categories"),
        ("Address", "Addresses"),
        ("Status", "Statuses"),
        ("JobApplication", "JobApplications"),
        ("Skill", "Skills"),
        ("Child", "Children"),
        ("URL", "URLs"),
    ],
)
def test_pluralize_uses_english_inflection_on_the_last_word(singular: str, plural: str) -> None:
    assert naming.pluralize(singular) == plural


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("partial_update", "Vacancy"), "partialUpdateVacancy"),
        (("search_jobs",), "searchJobs"),
        (("list", "JobApplications"), "listJobApplications"),
        (("publish", "Vacancy"), "publishVacancy"),
        (("mark-as-read", "Message"), "markAsReadMessage"),
    ],
)
def test_camel_joins_words_into_an_operation_id(parts: tuple[str, ...], expected: str) -> None:
    assert naming.camel(*parts) == expected


def test_summary_fills_nouns_and_articles() -> None:
    assert naming.summary("List {nouns}", "JobApplication", "JobApplications") == (
        "List job applications"
    )
    assert naming.summary("Retrieve {a_noun}", "Analysis", "Analyses") == "Retrieve an analysis"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("UserProfileView", "UserProfile"),
        ("VacancyViewSet", "Vacancy"),
        ("HealthAPIView", "Health"),
    ],
)
def test_view_suffixes_are_stripped_from_class_names(name: str, expected: str) -> None:
    assert naming.strip_view_suffix(name) == expected


def test_first_line_of_a_docstring_drops_the_period() -> None:
    assert (
        naming.first_line("\n    Search vacancies by text.\n\n    More.")
        == "Search vacancies by text"
    )


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("vacancy", "a vacancy"),
        ("analysis", "an analysis"),
        ("user profile", "a user profile"),
        ("hour", "an hour"),
        ("URL", "a URL"),
        ("SQL query", "an SQL query"),
        ("European office", "a European office"),
    ],
)
def test_articles_follow_the_sound_not_the_letter(phrase: str, expected: str) -> None:
    assert naming.with_article(phrase) == expected


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("vacancy_list_view", "vacancy_list"),
        ("x_view_function", "x"),
        ("healthApi", "health"),
        ("preview", "preview"),  # a word ending in "view" is not a suffix
        ("view", "view"),
    ],
)
def test_function_view_suffixes_are_stripped(name: str, stripped: str) -> None:
    assert naming.strip_function_suffix(name) == stripped


@pytest.mark.parametrize(
    ("name", "is_verb_phrase"),
    [
        ("publish", True),
        ("mark_read", True),
        ("set_password", True),
        ("stats", False),
        ("related", False),
        ("report", False),
        ("reindex", False),
    ],
)
def test_verb_phrases_come_from_the_curated_list(name: str, is_verb_phrase: bool) -> None:
    assert naming.starts_with_verb(name) is is_verb_phrase
    assert naming.starts_with_verb("reindex", {"reindex"})
