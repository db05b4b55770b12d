from django.contrib.auth import get_user_model
from rest_framework import serializers

from django_typed_api.uploads import IMAGE_TYPES, PDF_TYPES, SniffedFileField, UploadStatusMixin

from .models import (
    Company,
    EmploymentType,
    JobApplication,
    Location,
    Requirement,
    Skill,
    Vacancy,
)

#: Upload limits of the testproject (the browser tests send one byte more than LOGO_MAX_SIZE).
LOGO_MAX_SIZE = 512 * 1024
CV_MAX_SIZE = 2 * 1024 * 1024


class CompanySerializer(serializers.ModelSerializer):
    # The logo's URL (null without one); uploaded through CompanyLogoSerializer.
    logo = serializers.FileField(read_only=True, use_url=True, allow_null=True)

    class Meta:
        model = Company
        fields = ["id", "name", "slug", "website", "size", "logo"]


class CompanyLogoSerializer(UploadStatusMixin, serializers.ModelSerializer):
    """A company's logo: a PNG, JPEG, GIF or WebP image of at most 512 KiB."""

    logo = SniffedFileField(content_types=IMAGE_TYPES, max_size=LOGO_MAX_SIZE)

    class Meta:
        model = Company
        fields = ["logo"]


class JobApplicationSerializer(UploadStatusMixin, serializers.ModelSerializer):
    """An application to a published vacancy with a CV: a PDF of at most 2 MiB."""

    vacancy_id = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED), source="vacancy"
    )
    # Write-only: CVs are not served back (testproject/urls.py serves logos only).
    cv = SniffedFileField(content_types=PDF_TYPES, max_size=CV_MAX_SIZE, write_only=True)
    applicant = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = JobApplication
        fields = ["id", "vacancy_id", "cover_letter", "cv", "created_at", "applicant"]
        read_only_fields = ["created_at"]


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "city", "country"]


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Requirement
        fields = ["id", "text"]


class VacancySerializer(serializers.ModelSerializer):
    """A vacancy with its company, location and requirements nested, skills as slugs."""

    company = CompanySerializer(read_only=True)
    company_id = serializers.PrimaryKeyRelatedField(
        queryset=Company.objects.all(),
        source="company",
        write_only=True,
        # Said to a person filling in the form, who picks a company from a list.
        error_messages={
            "required": "Choose a company.",
            "null": "Choose a company.",
            "does_not_exist": "Choose a company from the list.",
        },
    )
    location = LocationSerializer(read_only=True)
    location_id = serializers.PrimaryKeyRelatedField(
        queryset=Location.objects.all(),
        source="location",
        write_only=True,
        required=False,
        allow_null=True,
    )
    skills = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Skill.objects.all(), required=False
    )
    requirements = RequirementSerializer(many=True, read_only=True)
    # Who created it (a draft is theirs to see): set on create, never from the body.
    owner = serializers.HiddenField(
        default=serializers.CreateOnlyDefault(serializers.CurrentUserDefault())
    )

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "company",
            "company_id",
            "location",
            "location_id",
            "skills",
            "requirements",
            "salary_min",
            "salary_max",
            "remote",
            "status",
            "employment_type",
            "experience_level",
            "created_at",
            "updated_at",
            "owner",
        ]
        read_only_fields = ["slug"]

    def validate(self, attrs: dict) -> dict:
        low = attrs.get("salary_min", getattr(self.instance, "salary_min", None))
        high = attrs.get("salary_max", getattr(self.instance, "salary_max", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"salary_max": ["Must be at least the minimum salary."]}
            )
        return attrs


class VacancySearchSerializer(serializers.Serializer):
    """Free-text search over vacancies."""

    query = serializers.CharField(max_length=200, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=Vacancy.Status.choices, required=False)


class JobSearchSerializer(serializers.Serializer):
    """Criteria of the job search."""

    query = serializers.CharField(max_length=200, allow_blank=True, default="")
    skills = serializers.ListField(
        child=serializers.SlugField(max_length=100), required=False, max_length=20
    )
    location = serializers.CharField(max_length=100, required=False)
    remote = serializers.BooleanField(required=False, allow_null=True, default=None)
    salary_min = serializers.IntegerField(min_value=0, required=False)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices, required=False)


class UserProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name", "date_joined"]
        read_only_fields = fields


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name", "slug"]
