import uuid

from django.conf import settings
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
    # Named by the upload field (a UUID and the sniffed type's extension), never by the client.
    logo = models.FileField(upload_to="logos/", blank=True, max_length=200)

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


class VacancyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VacancyQuerySet":
        """Drafts only for their owner and staff; published and closed ones for everyone."""
        if user is not None and user.is_authenticated and user.is_staff:
            return self
        public = ~models.Q(status=Vacancy.Status.DRAFT)
        if user is not None and user.is_authenticated:
            return self.filter(public | models.Q(owner=user))
        return self.filter(public)


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
    # Who created it: a draft is theirs (and staff's) to see until it is published.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="vacancies",
    )

    objects = VacancyQuerySet.as_manager()

    class Meta(BaseModel.Meta):
        verbose_name_plural = "vacancies"

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = f"{slugify(self.title)[:200] or 'vacancy'}-{uuid.uuid4().hex[:8]}"
        super().save(*args, **kwargs)


class JobApplication(BaseModel):
    """An application to a vacancy, with the applicant's CV (a PDF)."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    cover_letter = models.TextField(blank=True, max_length=5000)
    cv = models.FileField(upload_to="cvs/", max_length=200)

    def __str__(self) -> str:
        return f"{self.applicant} → {self.vacancy}"
