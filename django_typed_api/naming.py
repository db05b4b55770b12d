"""Pure naming functions: nouns, plurals, operationIds and summaries.

Nothing here touches views or settings, so every rule can be tested on plain strings.
"""

from __future__ import annotations

import re
from functools import lru_cache

import inflection

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[\s_\-]+")


def split_words(name: str) -> list[str]:
    """Split ``JobApplication``, ``job_application`` or ``job-application`` into words."""
    return list(_split_words(name))


@lru_cache(maxsize=4096)
def _split_words(name: str) -> tuple[str, ...]:
    # Schema generation splits the same few hundred names tens of thousands of times.
    words: list[str] = []
    for chunk in _SEPARATORS.split(name):
        if chunk:
            words.extend(w for w in _WORD_BOUNDARY.split(chunk) if w)
    return tuple(words)


def camel(*parts: str) -> str:
    """``camel("partial_update", "Vacancy")`` -> ``partialUpdateVacancy``."""
    words = [w for part in parts for w in split_words(part)]
    if not words:
        return ""
    head, *tail = words
    return head[0].lower() + head[1:] + "".join(w[0].upper() + w[1:] for w in tail)


def pascal(*parts: str) -> str:
    """``pascal("job_application")`` -> ``JobApplication``."""
    return "".join(w[0].upper() + w[1:] for part in parts for w in split_words(part))


@lru_cache(maxsize=1024)
def pluralize(noun: str) -> str:
    """Pluralise the last word of a CamelCase noun with a real English inflector.

    ``Vacancy`` -> ``Vacancies``, ``Person`` -> ``People``, ``JobApplication`` ->
    ``JobApplications``. Case is kept so the result can go straight into an operationId.
    Uses ``inflection`` (ActiveSupport's rules, already a drf-spectacular dependency; it
    imports in milliseconds, where ``inflect`` costs about two seconds per process). For a
    noun it gets wrong, set ``plural_noun`` on the viewset or ``TYPED_API["PLURALIZER"]``.
    """
    words = split_words(noun)
    if not words:
        return noun
    last = words[-1]
    plural = inflection.pluralize(last.lower()) or last.lower()
    if last.isupper() and len(last) > 1:  # acronyms: "URL" -> "URLs"
        plural = last + "s"
    elif last[0].isupper():
        plural = plural[0].upper() + plural[1:]
    return pascal(*words[:-1], plural) if len(words) > 1 else plural


def humanize(noun: str) -> str:
    """``JobApplication`` -> ``job application`` (acronyms keep their case)."""
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in split_words(noun))


#: Words whose first letter misleads: "a user", "an hour".
_A_BEFORE_VOWEL = re.compile(r"^(uni|use|usa|usu|ute|uti|eu|ewe|one|once|ubi|ura|uro)")
_AN_BEFORE_CONSONANT = re.compile(r"^(hour|honest|honou?r|heir)")
#: Letters whose spoken name starts with a vowel sound: "an SQL error", "a URL".
_VOWEL_SOUND_LETTERS = frozenset("AEFHILMNORSX")


def with_article(phrase: str) -> str:
    """``analysis`` -> ``an analysis``, ``user`` -> ``a user``, ``URL`` -> ``a URL``."""
    word = phrase.split(" ", 1)[0]
    if len(word) > 1 and word.isupper():
        vowel_sound = word[0] in _VOWEL_SOUND_LETTERS
    else:
        lower = word.lower()
        vowel_sound = bool(
            (lower[:1] in ("a", "e", "i", "o", "u") and not _A_BEFORE_VOWEL.match(lower))
            or _AN_BEFORE_CONSONANT.match(lower)
        )
    return f"{'an' if vowel_sound else 'a'} {phrase}"


_VIEW_SUFFIX = re.compile(r"(?:(?:API|Api)?(?:ViewSet|Viewset|View)|API|Api)$")


def strip_view_suffix(class_name: str) -> str:
    """``UserProfileAPIView`` -> ``UserProfile``; ``VacancyViewSet`` -> ``Vacancy``;
    ``ReportApi`` -> ``Report``. Class suffixes never reach a name."""
    return _VIEW_SUFFIX.sub("", class_name) or class_name


#: Words that make an action or function name a verb phrase (``publish``, ``mark_read``,
#: ``set_password``). Curated, not guessed: a word that is more often a noun in an API
#: (``report``, ``status``, ``history``) is left out, so ``report`` on a GET becomes
#: ``retrieve...Report``. Extend it with ``TYPED_API["ACTION_VERBS"]``.
_VERB_WORDS = """
    accept activate add approve archive assign attach authenticate authorize ban block
    bulk calculate cancel change charge check checkout claim clear clone close
    compare complete compute confirm connect convert copy count create deactivate decline
    delete deny destroy detach disable disconnect dismiss download duplicate edit enable
    end enqueue enroll estimate execute expire export fetch finish follow generate
    get grant hide import invalidate invite join kick leave like list lock login
    logout mark merge move mute notify obtain open pause pay pin ping
    preview process publish purge read reassign recalculate refresh refund register
    reject reload remove rename render reopen reorder replace resend reserve
    reset resolve restore resume retrieve retry revert revoke rotate run save
    search send set share sign skip sort split star start stop submit subscribe suspend
    swap sync toggle transfer trigger unarchive unassign unban unblock unfollow
    unlike unlink unlock unmute unpin unpublish unsubscribe unstar update upload upsert
    validate verify vote withdraw
"""
VERBS = frozenset(_VERB_WORDS.split())


def starts_with_verb(name: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether an action or function name reads as a verb phrase: its first word is in
    :data:`VERBS` or in ``extra`` (``TYPED_API["ACTION_VERBS"]``)."""
    words = split_words(name)
    return bool(words) and (words[0].lower() in VERBS or words[0].lower() in extra)


#: Names decorators and view factories give the functions they wrap; they say nothing about
#: the operation, so such function views are named from their URL path instead.
GENERIC_FUNCTION_NAMES = frozenset(
    {
        "view",
        "view_func",
        "_view",
        "func",
        "wrapper",
        "wrapped",
        "wrapped_view",
        "_wrapped_view",
        "inner",
        "decorated",
        "_decorated",
        "handler",
        "endpoint",
        "api_view",
        "view_wrapper",
    }
)


_FUNCTION_SUFFIX = re.compile(
    r"(?:(?<=.)_(?:view|function|api|endpoint)|(?<=[a-z0-9])(?:View|Function|Api|API|Endpoint))$"
)


def strip_function_suffix(name: str) -> str:
    """``vacancy_list_view`` -> ``vacancy_list``; ``x_view_function`` -> ``x``."""
    while (stripped := _FUNCTION_SUFFIX.sub("", name)) != name:
        name = stripped
    return name


def is_generic_function_name(name: str) -> bool:
    return name.lower() in GENERIC_FUNCTION_NAMES


#: A path segment that is an API version: ``v1``, ``v2``, ``v1.1``, ``V3``.
VERSION_SEGMENT = re.compile(r"^[vV]\d+(?:[._]\d+)*$")


@lru_cache(maxsize=1024)
def singularize(noun: str) -> str:
    """``authors`` -> ``Author``, ``people`` -> ``Person``, ``job-applications`` ->
    ``JobApplication``: a URL segment as the noun of one object of it."""
    words = split_words(noun)
    if not words:
        return noun
    last = inflection.singularize(words[-1].lower()) or words[-1]
    return pascal(*words[:-1], last)


def version_word(version: str) -> str:
    """``v2`` -> ``V2``, ``1.1`` -> ``V1_1``: an API version as a word of an id."""
    text = re.sub(r"[^0-9A-Za-z]+", "_", str(version)).strip("_")
    if not text:
        return ""
    if not text[0].isalpha():
        text = "v" + text
    return text[0].upper() + text[1:]


def operation_id(verb: str, noun: str) -> str:
    """``operation_id("partialUpdate", "Vacancy")`` -> ``partialUpdateVacancy``."""
    return camel(verb, noun)


def summary(template: str, singular: str, plural: str) -> str:
    """Fill a summary template such as ``"List {nouns}"`` with humanized nouns."""
    noun = humanize(singular)
    nouns = humanize(plural)
    text = template.format(noun=noun, nouns=nouns, a_noun=with_article(noun))
    return text[:1].upper() + text[1:]


def first_line(doc: str | None) -> str:
    """First non-empty line of a docstring, without a trailing period."""
    for line in (doc or "").strip().splitlines():
        line = line.strip()
        if line:
            return line.rstrip(".")
    return ""
