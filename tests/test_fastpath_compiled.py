"""Compiled class plans: datetimes converted with one read of the active timezone per render,
``many=True`` relations read from the prefetch cache; DRF's bytes in every case."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory
from vacancies.models import Skill, Vacancy
from vacancies.serializers import VacancySerializer

from django_typed_api.fastpath import accelerate

UTC = datetime.timezone.utc
MOMENT = datetime.datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=UTC)


class Moments(serializers.Serializer):
    at = serializers.DateTimeField()
    formatted = serializers.DateTimeField(source="at", format="%Y-%m-%d %H:%M %Z")
    in_tokyo = serializers.DateTimeField(source="at", default_timezone=ZoneInfo("Asia/Tokyo"))


def render(serializer: Any) -> bytes:
    return JSONRenderer().render(serializer.data)


def same(serializer_class: type, *args: Any, **kwargs: Any) -> bytes:
    """The fast path's bytes, asserted equal to DRF's."""
    fast = render(accelerate(serializer_class(*args, **kwargs)))
    assert fast == render(serializer_class(*args, **kwargs))
    return fast


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"])
def test_datetimes_in_the_active_timezone_are_drfs(zone: str) -> None:
    rows = [SimpleNamespace(at=MOMENT + datetime.timedelta(hours=h)) for h in range(0, 48, 7)]
    with timezone.override(ZoneInfo(zone)):
        same(Moments, rows, many=True)
        same(Moments, rows[0])


def test_a_utc_datetime_ends_in_z_as_with_drf() -> None:
    assert b'"at":"2026-03-29T00:30:15.123456Z"' in same(Moments, SimpleNamespace(at=MOMENT))


def test_a_list_reads_the_active_timezone_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Any] = []
    real = timezone.get_current_timezone

    def counted() -> Any:
        reads.append(1)
        return real()

    monkeypatch.setattr(timezone, "get_current_timezone", counted)
    rows = [SimpleNamespace(at=MOMENT) for _ in range(50)]
    render(accelerate(Moments(rows, many=True)))
    fast_reads, reads[:] = len(reads), []
    render(Moments(rows, many=True))
    assert fast_reads == 1
    assert len(reads) == 100  # DRF: the two fields without a timezone of their own, per row


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(datetime.datetime(2026, 1, 2, 3, 4, 5), id="naive"),
        pytest.param("2026-01-02T03:04:05", id="a string"),
        pytest.param(datetime.datetime(2026, 1, 2, tzinfo=ZoneInfo("Europe/Paris")), id="paris"),
    ],
)
def test_odd_datetime_values_are_drfs(value: Any) -> None:
    class At(serializers.Serializer):
        at = serializers.DateTimeField()

    with timezone.override(ZoneInfo("Europe/Berlin")):
        same(At, SimpleNamespace(at=value))


def test_a_date_for_a_datetime_field_raises_drfs_error() -> None:
    class At(serializers.Serializer):
        at = serializers.DateTimeField()

    row = SimpleNamespace(at=datetime.date(2026, 1, 2))
    with pytest.raises(AttributeError):
        _ = At(row).data
    with pytest.raises(AttributeError):
        _ = accelerate(At(row)).data


def test_without_use_tz_datetimes_are_drfs() -> None:
    with override_settings(USE_TZ=False):
        same(Moments, SimpleNamespace(at=MOMENT))


def test_a_datetime_format_set_after_the_plan_was_built_is_used() -> None:
    row = SimpleNamespace(at=MOMENT)
    same(Moments, row)
    with override_settings(REST_FRAMEWORK={"DATETIME_FORMAT": "%d.%m.%Y"}):
        assert b'"at":"29.03.2026"' in same(Moments, row)


def test_an_overflowing_datetime_raises_drfs_error() -> None:
    class At(serializers.Serializer):
        at = serializers.DateTimeField()

    row = SimpleNamespace(at=datetime.datetime.max.replace(tzinfo=UTC))
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        with pytest.raises(serializers.ValidationError) as drf:
            _ = At(row).data
        with pytest.raises(serializers.ValidationError) as fast:
            _ = accelerate(At(row)).data
    assert fast.value.detail == drf.value.detail


def test_a_field_with_its_own_timezone_rule_keeps_it() -> None:
    class AlwaysUTC(serializers.DateTimeField):
        def default_timezone(self) -> Any:
            return UTC

    class At(serializers.Serializer):
        at = AlwaysUTC()

    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert b'"at":"2026-03-29T00:30:15.123456Z"' in same(At, SimpleNamespace(at=MOMENT))


def vacancies(*prefetches: Any) -> list[Vacancy]:
    return list(
        Vacancy.objects.select_related("company", "location")
        .prefetch_related(*prefetches)
        .order_by("slug")[:20]
    )


def context() -> dict[str, Any]:
    return {"request": APIRequestFactory().get("/api/vacancies/")}


def test_prefetched_relations_render_without_a_query(seeded) -> None:
    rows = vacancies("skills", "requirements")
    serializer = accelerate(VacancySerializer(rows, many=True, context=context()))
    with CaptureQueriesContext(connection) as queries:
        fast = render(serializer)
    assert len(queries) == 0
    assert fast == render(VacancySerializer(rows, many=True, context=context()))


def test_relations_without_a_prefetch_are_read_through_their_manager(seeded) -> None:
    rows = vacancies()
    same(VacancySerializer, rows, many=True, context=context())


def test_a_prefetch_into_another_attribute_leaves_the_relation_to_its_manager(seeded) -> None:
    rows = vacancies(Prefetch("skills", queryset=Skill.objects.none(), to_attr="no_skills"))
    fast = same(VacancySerializer, rows, many=True, context=context())
    assert b'"skills":[]' not in fast


def test_a_relation_changed_after_the_prefetch_shows_the_change(seeded) -> None:
    rows = vacancies("skills")
    rows[0].skills.set([Skill.objects.create(name="Zig", slug="zig")])  # clears that cache
    fast = same(VacancySerializer, rows, many=True, context=context())
    assert b'"skills":["zig"]' in fast


def test_a_reverse_many_to_many_relation_is_read_from_its_prefetch(seeded) -> None:
    class SkillWithVacancies(serializers.ModelSerializer):
        vacancies = serializers.SlugRelatedField(many=True, slug_field="slug", read_only=True)

        class Meta:
            model = Skill
            fields = ["slug", "vacancies"]

    skills = list(Skill.objects.prefetch_related("vacancies").order_by("slug"))
    serializer = accelerate(SkillWithVacancies(skills, many=True))
    with CaptureQueriesContext(connection) as queries:
        fast = render(serializer)
    assert len(queries) == 0
    assert fast == render(SkillWithVacancies(skills, many=True))


class Flags(serializers.Serializer):
    choice = serializers.ChoiceField(choices=[("a", "Letter A"), ("1", "one"), (2, "two")])
    flag = serializers.BooleanField()
    maybe = serializers.BooleanField(allow_null=True, source="flag")


@pytest.mark.parametrize("choice", ["a", "1", "2", "", "not a choice", 2, 1])
@pytest.mark.parametrize("flag", [True, False, 1, 0, "true", "no", "odd"])
def test_choices_and_booleans_are_drfs(choice: Any, flag: Any) -> None:
    same(Flags, SimpleNamespace(choice=choice, flag=flag))


def test_choices_changed_on_a_bound_field_are_used() -> None:
    serializer = accelerate(Flags(SimpleNamespace(choice="x", flag=True)))
    serializer.fields["choice"].choices = [("x", "Ex")]
    reference = Flags(SimpleNamespace(choice="x", flag=True))
    reference.fields["choice"].choices = [("x", "Ex")]
    assert render(serializer) == render(reference)


def test_a_list_with_a_row_off_the_plain_path_is_drfs_row_for_row() -> None:
    class Defaults(serializers.Serializer):
        at = serializers.DateTimeField()
        label = serializers.CharField(default="none")

    rows = [
        SimpleNamespace(at=MOMENT, label="first"),
        SimpleNamespace(at=MOMENT),  # no label: the field's default, from the copied fields
        {"at": MOMENT, "label": "a mapping"},
        SimpleNamespace(at=MOMENT, label="last"),
    ]
    with timezone.override(ZoneInfo("Europe/Berlin")):
        assert b'"label":"none"' in same(Defaults, rows, many=True)
