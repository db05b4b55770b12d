"""The serializer fast path gives DRF's output, byte for byte, and keeps DRF's semantics.

Each test builds the same serializer twice, once as DRF runs it and once through
``accelerate()`` (what every Typed viewset does in ``get_serializer``), and compares the JSON
bytes DRF's own renderer writes for both.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import override_settings
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory
from vacancies.models import Company, Skill, Vacancy
from vacancies.serializers import VacancySerializer

from django_typed_api.fastpath import FastRepresentation, accelerate


def both(serializer_class: type, *args: Any, **kwargs: Any) -> tuple[bytes, bytes]:
    """(DRF's bytes, the fast path's bytes) for the same serializer arguments."""
    reference = serializer_class(*args, **kwargs)
    fast = accelerate(serializer_class(*args, **kwargs))
    return JSONRenderer().render(reference.data), JSONRenderer().render(fast.data)


def compiled(serializer: Any) -> bool:
    return isinstance(serializer.__dict__.get("to_representation"), FastRepresentation)


class Colour(enum.Enum):
    RED = "red"


class CharAndInteger(serializers.Serializer):
    char = serializers.CharField()
    integer = serializers.IntegerField()


class EveryField(serializers.Serializer):
    boolean = serializers.BooleanField()
    boolean_null = serializers.BooleanField(allow_null=True)
    char = serializers.CharField()
    char_from_int = serializers.CharField(source="integer")
    email = serializers.EmailField()
    regex = serializers.RegexField(r"^\w+$")
    slug = serializers.SlugField()
    url = serializers.URLField()
    uuid_verbose = serializers.UUIDField(source="uuid")
    uuid_hex = serializers.UUIDField(source="uuid", format="hex")
    uuid_int = serializers.UUIDField(source="uuid", format="int")
    ip = serializers.IPAddressField()
    integer = serializers.IntegerField()
    integer_from_string = serializers.IntegerField(source="digits")
    big = serializers.BigIntegerField()
    big_as_string = serializers.BigIntegerField(source="big", coerce_to_string=True)
    floating = serializers.FloatField()
    decimal_default = serializers.DecimalField(max_digits=10, decimal_places=3, source="money")
    decimal_number = serializers.DecimalField(
        max_digits=10, decimal_places=3, source="money", coerce_to_string=False
    )
    decimal_string = serializers.DecimalField(
        max_digits=10, decimal_places=3, source="money", coerce_to_string=True
    )
    datetime_aware = serializers.DateTimeField()
    datetime_naive = serializers.DateTimeField()
    datetime_formatted = serializers.DateTimeField(source="datetime_aware", format="%Y/%m/%d %H")
    datetime_raw = serializers.DateTimeField(source="datetime_aware", format=None)
    date = serializers.DateField()
    time = serializers.TimeField()
    duration = serializers.DurationField()
    choice = serializers.ChoiceField(choices=[("a", "A"), ("b", "B"), (1, "one")])
    choice_enum = serializers.ChoiceField(choices=["red"], source="colour")
    choice_blank = serializers.ChoiceField(choices=["x"], source="blank")
    multiple = serializers.MultipleChoiceField(choices=["a", "b"])
    file = serializers.FileField(use_url=False)
    listing = serializers.ListField(child=serializers.IntegerField())
    dictionary = serializers.DictField(child=serializers.CharField())
    hstore = serializers.HStoreField()
    json = serializers.JSONField()
    read_only = serializers.ReadOnlyField(source="non_ascii")
    method = serializers.SerializerMethodField()
    hidden = serializers.HiddenField(default="never shown")
    write_only = serializers.CharField(write_only=True)
    missing_with_default = serializers.CharField(default="the default")
    missing_optional = serializers.CharField(required=False)
    missing_nullable = serializers.CharField(allow_null=True)
    none = serializers.CharField(allow_null=True)
    callable_source = serializers.CharField(source="shout")
    dotted = serializers.CharField(source="nested.text")
    whole = CharAndInteger(source="*")
    non_ascii = serializers.CharField()

    def get_method(self, obj: Any) -> str:
        return f"method of {obj['char'] if isinstance(obj, dict) else obj.char}"


def every_field_object(**overrides: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "boolean": True,
        "boolean_null": None,
        "char": "text",
        "email": "a@example.com",
        "regex": "word",
        "slug": "a-slug",
        "url": "https://example.com/é",
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "ip": "127.0.0.1",
        "integer": 42,
        "digits": "7",
        "big": 2**62,
        "floating": 0.1,
        "money": decimal.Decimal("12.5"),
        "datetime_aware": datetime.datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc),
        "datetime_naive": datetime.datetime(2026, 1, 2, 3, 4, 5),
        "date": datetime.date(2026, 1, 2),
        "time": datetime.time(3, 4, 5, 6),
        "duration": datetime.timedelta(days=2, minutes=3),
        "choice": 1,
        "colour": Colour.RED,
        "blank": "",
        "multiple": ["b", "a", "b"],
        "file": SimpleNamespace(name="cv.pdf", url="/media/cv.pdf"),
        "listing": [3, 1, 2],
        "dictionary": {"k": "v", "ü": "ß"},
        "hstore": {"k": "v"},
        "json": {"nested": [1, 2.5, None, "ö"]},
        "none": None,
        "shout": lambda: "called",
        "nested": SimpleNamespace(text="deep"),
        "non_ascii": "Zürich \u2028 東京",
    }
    values.update(overrides)
    return SimpleNamespace(**values)


@pytest.mark.parametrize("coerce", [True, False])
def test_every_drf_field_type_gives_drfs_bytes(coerce: bool) -> None:
    with override_settings(
        REST_FRAMEWORK={"COERCE_DECIMAL_TO_STRING": coerce, "COERCE_BIGINT_TO_STRING": coerce}
    ):
        reference, fast = both(EveryField, every_field_object())
    assert fast == reference
    assert b'"missing_with_default":"the default"' in fast  # the fallback ran, as in DRF
    assert b"missing_optional" not in fast and b"hidden" not in fast


@pytest.mark.parametrize(
    "overrides",
    [
        {"char": None, "integer": None, "money": None, "datetime_aware": None, "uuid": None},
        {"char": "", "date": "", "time": "", "duration": datetime.timedelta(0)},
        {"datetime_aware": "2026-01-01T00:00:00Z", "date": "2026-01-01"},  # strings pass through
        {"boolean": "yes", "integer": 3.9, "char": 12, "floating": 1},
    ],
    ids=["none", "empty", "strings", "coercions"],
)
def test_none_empty_and_odd_values_give_drfs_bytes(overrides: dict[str, Any]) -> None:
    reference, fast = both(EveryField, every_field_object(**overrides))
    assert fast == reference


def test_a_mapping_instance_gives_drfs_bytes() -> None:
    data = vars(every_field_object())
    reference, fast = both(EveryField, data)
    assert fast == reference


def test_many_true_gives_drfs_bytes() -> None:
    rows = [every_field_object(char=f"row {i}", integer=i) for i in range(3)]
    reference, fast = both(EveryField, rows, many=True)
    assert fast == reference


def test_a_missing_required_attribute_raises_drfs_error() -> None:
    row = every_field_object()
    del row.email
    with pytest.raises(AttributeError) as drf_error:
        EveryField(row).data  # noqa: B018
    with pytest.raises(AttributeError) as fast_error:
        accelerate(EveryField(row)).data  # noqa: B018
    assert str(fast_error.value) == str(drf_error.value)


def test_a_builtin_as_source_raises_drfs_error() -> None:
    row = every_field_object(char=len)
    with pytest.raises(Exception) as drf_error:
        EveryField(row).data  # noqa: B018
    with pytest.raises(Exception) as fast_error:
        accelerate(EveryField(row)).data  # noqa: B018
    assert (type(fast_error.value), str(fast_error.value)) == (
        type(drf_error.value),
        str(drf_error.value),
    )


# -- model serializers, relations, nesting ---------------------------------------------------


class SkillName(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["name"]


class RelationsSerializer(serializers.ModelSerializer):
    company_pk = serializers.PrimaryKeyRelatedField(source="company", read_only=True)
    company_slug = serializers.SlugRelatedField(source="company", slug_field="slug", read_only=True)
    company_str = serializers.StringRelatedField(source="company")
    company_name = serializers.CharField(source="company.name")
    skill_pks = serializers.PrimaryKeyRelatedField(source="skills", many=True, read_only=True)
    skill_slugs = serializers.SlugRelatedField(
        source="skills", slug_field="slug", many=True, read_only=True
    )
    skill_strs = serializers.StringRelatedField(source="skills", many=True)
    skill_names = SkillName(source="skills", many=True, read_only=True)
    link = serializers.HyperlinkedIdentityField(view_name="vacancy-detail")

    class Meta:
        model = Vacancy
        fields = "__all__"


@pytest.fixture
def vacancies(seeded) -> list[Vacancy]:
    return list(
        Vacancy.objects.select_related("company", "location")
        .prefetch_related("skills", "requirements")
        .order_by("slug")[:15]
    )


def test_the_testprojects_vacancy_serializer_gives_drfs_bytes(vacancies) -> None:
    reference, fast = both(VacancySerializer, vacancies, many=True)
    assert fast == reference
    reference, fast = both(VacancySerializer, vacancies[0])
    assert fast == reference


def test_every_relation_field_gives_drfs_bytes(vacancies) -> None:
    context = {"request": APIRequestFactory().get("/api/vacancies/")}
    reference, fast = both(RelationsSerializer, vacancies, many=True, context=context)
    assert fast == reference
    assert b'"link":"http://testserver/api/vacancies/' in fast


def test_a_new_instance_without_relations_gives_drfs_bytes(db) -> None:
    unsaved = Vacancy(title="Draft", company=Company(name="Acme", slug="acme"))
    context = {"request": APIRequestFactory().get("/")}
    reference = VacancySerializer(unsaved, context=context).data
    fast = accelerate(VacancySerializer(unsaved, context=context)).data
    assert JSONRenderer().render(fast) == JSONRenderer().render(reference)


# -- user overrides keep DRF's exact code --------------------------------------------------


class Upper(serializers.CharField):
    def to_representation(self, value: Any) -> str:
        return str(value).upper()


class Overrides(serializers.ModelSerializer):
    title = Upper()
    company = serializers.CharField(source="company.name")
    requirement_texts = serializers.SerializerMethodField()

    class Meta:
        model = Vacancy
        fields = ["id", "title", "company", "requirement_texts"]

    def get_requirement_texts(self, obj: Vacancy) -> list[str]:
        return [r.text for r in obj.requirements.all()] + [self.context.get("suffix", "")]


class OwnRepresentation(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "slug"]

    def to_representation(self, instance: Skill) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["seen"] = True
        return data


def test_custom_fields_method_fields_and_dotted_sources_give_drfs_bytes(vacancies) -> None:
    reference, fast = both(Overrides, vacancies, many=True, context={"suffix": "ö"})
    assert fast == reference
    assert b'"title":"' + vacancies[0].title.upper().encode() in fast


def test_a_serializer_with_its_own_to_representation_is_not_compiled(vacancies) -> None:
    skill = vacancies[0].skills.all()[0]
    fast = accelerate(OwnRepresentation(skill))
    assert not compiled(fast)
    assert fast.data == {**OwnRepresentation(skill).data, "seen": True}


def test_a_nested_serializer_with_its_own_to_representation_keeps_it(vacancies) -> None:
    class Outer(serializers.ModelSerializer):
        skills = OwnRepresentation(many=True, read_only=True)

        class Meta:
            model = Vacancy
            fields = ["id", "skills"]

    reference, fast = both(Outer, vacancies, many=True)
    assert fast == reference and b'"seen":true' in fast


def test_a_class_that_builds_its_fields_itself_keeps_drfs_path(vacancies) -> None:
    class Dynamic(serializers.ModelSerializer):
        class Meta:
            model = Vacancy
            fields = ["id", "title", "remote"]

        def get_field_names(self, declared_fields: Any, info: Any) -> list[str]:
            return ["id", "remote"] if self.context.get("short") else ["id", "title", "remote"]

    short = accelerate(Dynamic(vacancies[0], context={"short": True}))
    full = accelerate(Dynamic(vacancies[0]))
    assert not compiled(short) and list(short.data) == ["id", "remote"]
    assert list(full.data) == ["id", "title", "remote"]
