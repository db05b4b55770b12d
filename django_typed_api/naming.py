"""Pure naming functions: nouns, plurals, operationIds and summaries.

Nothing here touches views or settings, so every rule can be tested on plain strings.
"""

from __future__ import annotations

import re
from functools import lru_cache

import inflection

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def split_words(name: str) -> list[str]:
    """Split ``JobApplication``, ``job_application`` or ``job-application`` into words."""
    words: list[str] = []
    for chunk in re.split(r"[\s_\-]+", name):
        if chunk:
            words.extend(w for w in _WORD_BOUNDARY.split(chunk) if w)
    return words


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


def strip_view_suffix(class_name: str) -> str:
    """``UserProfileAPIView`` -> ``UserProfile``; ``VacancyViewSet`` -> ``Vacancy``."""
    return re.sub(r"(API)?(View|ViewSet|Viewset)$", "", class_name) or class_name


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
