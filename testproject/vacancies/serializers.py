from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Company, EmploymentType, Location, Requirement, Skill, Vacancy


class CompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "name", "slug", "website", "size"]


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
        queryset=Company.objects.all(), source="company", write_only=True
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
        ]
        read_only_fields = ["slug"]

    def validate(self, attrs: dict) -> dict:
        low = attrs.get("salary_min", getattr(self.instance, "salary_min", None))
        high = attrs.get("salary_max", getattr(self.instance, "salary_max", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"salary_max": ["Must be greater than or equal to salary_min."]}
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
