import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.text import slugify

from django_typed_api.models import BaseModel

MAX_SALARY = 10_000_000


class EmploymentType(models.TextChoices):
    """Shared by the Vacancy model and the job search request: one enum in the schema."""

    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    CONTRACT = "contract", "Contract"
    INTERNSHIP = "internship", "Internship"


class Company(BaseModel):
    class Size(models.IntegerChoices):
        SMALL = 1, "1-49"
        MEDIUM = 2, "50-499"
        LARGE = 3, "500+"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    size = models.IntegerField(choices=Size.choices, null=True, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class Location(BaseModel):
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=100)

    class Meta(BaseModel.Meta):
        constraints = [models.UniqueConstraint(fields=["city", "country"], name="unique_city")]

    def __str__(self) -> str:
        return f"{self.city}, {self.country}"


class Skill(BaseModel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta(BaseModel.Meta):
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Requirement(BaseModel):
    text = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.text


class Vacancy(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    class ExperienceLevel(models.TextChoices):
        JUNIOR = "junior", "Junior"
        MEDIOR = "medior", "Medior"
        SENIOR = "senior", "Senior"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    description = models.TextField(blank=True)
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="vacancies")
    location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="vacancies"
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="vacancies")
    requirements = models.ManyToManyField(Requirement, blank=True, related_name="vacancies")
    # An explicit bound keeps the schema the same on every database (the implicit one is
    # the backend's integer range: 2**63-1 on SQLite, 2**31-1 on PostgreSQL).
    salary_min = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_SALARY)]
    )
    salary_max = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_SALARY)]
    )
    remote = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    experience_level = models.CharField(max_length=20, choices=ExperienceLevel.choices, blank=True)

    class Meta(BaseModel.Meta):
        verbose_name_plural = "vacancies"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = f"{slugify(self.title)[:200] or 'vacancy'}-{uuid.uuid4().hex[:8]}"
        super().save(*args, **kwargs)
