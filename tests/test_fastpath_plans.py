"""A serializer class whose fields are all DRF's plain ones renders from its class's plan,
without copying its fields, and gives DRF's bytes; anything off the plain path is rendered by
the serializer's own (then copied) fields, as DRF would."""

from __future__ import annotations

import datetime
import decimal
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory
from vacancies.models import Company, Vacancy
from vacancies.serializers import CompanySerializer, VacancySerializer

from django_typed_api.fastpath import accelerate
from django_typed_api.fastpath.fields import prototype_of
from django_typed_api.fastpath.plans import class_plan


class Plain(serializers.Serializer):
    boolean = serializers.BooleanField()
    boolean_null = serializers.BooleanField(allow_null=True)
    char = serializers.CharField()
    email = serializers.EmailField()
    uuid_verbose = serializers.UUIDField(source="uuid")
    uuid_hex = serializers.UUIDField(source="uuid", format="hex")
    integer = serializers.IntegerField()
    floating = serializers.FloatField()
    decimal_string = serializers.DecimalField(max_digits=10, decimal_places=3, source="money")
    decimal_number = serializers.DecimalField(
        max_digits=10, decimal_places=3, source="money", coerce_to_string=False
    )
    datetime_aware = serializers.DateTimeField()
    datetime_formatted = serializers.DateTimeField(source="datetime_aware", format="%Y/%m/%d %H")
    date = serializers.DateField()
    time = serializers.TimeField()
    duration = serializers.DurationField()
    choice = serializers.ChoiceField(choices=[("a", "A"), (1, "one")])
    file_name = serializers.FileField(source="file", use_url=False)
    file_url = serializers.FileField(source="file")
    json = serializers.JSONField()
    read_only = serializers.ReadOnlyField(source="char")
    none = serializers.CharField(allow_null=True)
    write_only = serializers.CharField(write_only=True)


def plain_object(**overrides: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "boolean": True,
        "boolean_null": None,
        "char": "Zürich \u2028 東京",
        "email": "a@example.com",
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "integer": 42,
        "floating": 0.1,
        "money": decimal.Decimal("12.5"),
        "datetime_aware": datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc),
        "date": datetime.date(2026, 1, 2),
        "time": datetime.time(3, 4, 5, 6),
        "duration": datetime.timedelta(days=2, minutes=3),
        "choice": 1,
        "file": SimpleNamespace(name="cv.pdf", url="/media/cv.pdf"),
        "json": {"nested": [1, 2.5, None, "ö"]},
        "none": None,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def rendered(serializer: Any) -> bytes:
    return JSONRenderer().render(serializer.data)


def copied(serializer: Any) -> bool:
    return serializer.__dict__["fields"].copied


@pytest.mark.parametrize("context", [{}, {"request": APIRequestFactory().get("/x/")}])
def test_plain_fields_render_from_the_plan_with_drfs_bytes(context: dict[str, Any]) -> None:
    row = plain_object()
    fast = accelerate(Plain(row, context=context))
    assert rendered(fast) == rendered(Plain(row, context=context))
    assert not copied(fast)
    if context:
        assert b'"file_url":"http://testserver/media/cv.pdf"' in rendered(fast)


def test_the_testprojects_vacancy_renders_from_the_plan(seeded) -> None:
    vacancy = (
        Vacancy.objects.select_related("company", "location")
        .prefetch_related("skills", "requirements")
        .first()
    )
    context = {"request": APIRequestFactory().get("/api/vacancies/")}
    fast = accelerate(VacancySerializer(vacancy, context=context))
    assert rendered(fast) == rendered(VacancySerializer(vacancy, context=context))
    assert not copied(fast)


def test_a_company_logo_is_an_absolute_url_as_with_drf(db) -> None:
    company = Company.objects.create(name="Acme", slug="acme", logo="logos/acme.png")
    context = {"request": APIRequestFactory().get("/api/companies/")}
    fast = accelerate(CompanySerializer(company, context=context))
    assert fast.data["logo"] == "http://testserver/media/logos/acme.png"
    assert rendered(fast) == rendered(CompanySerializer(company, context=context))


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(plain_object(char=lambda: "called"), id="a callable attribute"),
        pytest.param({"char": "a mapping"}, id="a mapping instance"),
    ],
)
def test_rows_off_the_plain_path_are_rendered_by_drfs_code(row: Any) -> None:
    class Small(serializers.Serializer):
        char = serializers.CharField()

    fast = accelerate(Small(row))
    assert rendered(fast) == rendered(Small(row))
    assert copied(fast)


def test_a_missing_attribute_gets_the_fields_default_or_is_skipped() -> None:
    class Defaults(serializers.Serializer):
        char = serializers.CharField(default="the default")
        optional = serializers.CharField(required=False)

    fast = accelerate(Defaults(SimpleNamespace()))
    assert fast.data == Defaults(SimpleNamespace()).data == {"char": "the default"}


def test_a_missing_required_attribute_raises_drfs_message() -> None:
    class Required(serializers.Serializer):
        char = serializers.CharField()

    with pytest.raises(AttributeError) as drf:
        Required(SimpleNamespace()).data  # noqa: B018
    with pytest.raises(AttributeError) as fast:
        accelerate(Required(SimpleNamespace())).data  # noqa: B018
    assert str(fast.value) == str(drf.value)
    assert "serializer `Required`" in str(fast.value)


def test_a_nested_row_off_the_plain_path_renders_the_whole_row_with_drfs_code() -> None:
    class Inner(serializers.Serializer):
        char = serializers.CharField()

    class Outer(serializers.Serializer):
        inner = Inner()
        rows = Inner(many=True)

    row = SimpleNamespace(inner={"char": "mapping"}, rows=[SimpleNamespace(char="x")])
    fast = accelerate(Outer(row))
    assert rendered(fast) == rendered(Outer(row))
    assert copied(fast)


def test_a_class_with_a_method_field_has_no_plan() -> None:
    class WithMethod(serializers.Serializer):
        char = serializers.CharField()
        method = serializers.SerializerMethodField()

        def get_method(self, obj: Any) -> str:
            return "m"

    assert class_plan(WithMethod, prototype_of(WithMethod())) is None
    assert class_plan(Plain, prototype_of(Plain())) is not None


def test_fields_used_after_rendering_are_copies_bound_to_the_serializer() -> None:
    fast = accelerate(Plain(plain_object()))
    fast.data  # noqa: B018
    assert fast.fields["char"].parent is fast
    assert fast.fields["char"] is not prototype_of(Plain())["char"]  # type: ignore[index]


def test_a_class_that_chooses_its_readable_fields_keeps_drfs_rendering() -> None:
    class Chooses(serializers.Serializer):
        char = serializers.CharField()
        integer = serializers.IntegerField()

        @property
        def _readable_fields(self) -> Any:
            return [self.fields["integer"]]

    row = SimpleNamespace(char="c", integer=1)
    assert accelerate(Chooses(row)).data == Chooses(row).data == {"integer": 1}


def test_a_many_relation_that_reads_its_value_its_own_way_keeps_it(seeded) -> None:
    class FirstSkillOnly(serializers.ManyRelatedField):
        def get_attribute(self, instance: Any) -> Any:
            return list(super().get_attribute(instance))[:1]

    class Skills(serializers.ModelSerializer):
        skills = FirstSkillOnly(
            child_relation=serializers.SlugRelatedField(slug_field="slug", read_only=True),
            read_only=True,
        )

        class Meta:
            model = Vacancy
            fields = ["id", "skills"]

    vacancy = next(v for v in Vacancy.objects.all() if v.skills.count() > 1)
    assert len(accelerate(Skills(vacancy)).data["skills"]) == 1
    assert rendered(accelerate(Skills(vacancy))) == rendered(Skills(vacancy))
