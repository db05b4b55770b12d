from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.generics import RetrieveAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from django_typed_api.decorators import query_operation
from django_typed_api.optimizer import optimize
from django_typed_api.pagination import paginated
from django_typed_api.uploads import TypedMultiPartParser
from django_typed_api.viewsets import (
    TypedGenericViewSet,
    TypedModelViewSet,
    TypedReadOnlyModelViewSet,
)

from .filters import VacancyFilter
from .models import Company, JobApplication, Skill, Vacancy
from .permissions import ClosedVacanciesStaffOnlyDelete
from .serializers import (
    CV_MAX_SIZE,
    LOGO_MAX_SIZE,
    CompanyLogoSerializer,
    CompanySerializer,
    JobApplicationSerializer,
    JobSearchSerializer,
    SkillSerializer,
    UserProfileSerializer,
    VacancySearchSerializer,
    VacancySerializer,
)


def matching(queryset: QuerySet[Vacancy], criteria: dict) -> QuerySet[Vacancy]:
    """Vacancies matching search criteria (shared by the action and the function view)."""
    text = criteria.get("query")
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(company__name__icontains=text)
        )
    if criteria.get("status"):
        queryset = queryset.filter(status=criteria["status"])
    if criteria.get("skills"):
        queryset = queryset.filter(skills__slug__in=criteria["skills"]).distinct()
    if criteria.get("location"):
        queryset = queryset.filter(location__city__iexact=criteria["location"])
    if criteria.get("remote") is not None:
        queryset = queryset.filter(remote=criteria["remote"])
    if criteria.get("salary_min") is not None:
        queryset = queryset.filter(salary_max__gte=criteria["salary_min"])
    if criteria.get("employment_type"):
        queryset = queryset.filter(employment_type=criteria["employment_type"])
    return queryset


class VacancyViewSet(TypedModelViewSet):
    """Job vacancies with their company, location, skills and requirements."""

    # No select_related/prefetch_related by hand: TypedModelViewSet derives them from
    # VacancySerializer (django_typed_api.optimizer), and tests/test_optimizer.py proves it.
    queryset = Vacancy.objects.all()
    serializer_class = VacancySerializer
    filterset_class = VacancyFilter
    permission_classes = [IsAuthenticatedOrReadOnly, ClosedVacanciesStaffOnlyDelete]
    search_fields = ["title", "description", "company__name"]
    ordering_fields = ["created_at", "title", "salary_min", "salary_max"]

    def get_queryset(self) -> QuerySet[Vacancy]:
        """Drafts only for their owner and staff: to anyone else they do not exist (404)."""
        return super().get_queryset().visible_to(self.request.user)

    @query_operation
    @extend_schema(request=VacancySearchSerializer, responses=VacancySerializer(many=True))
    @action(detail=False, methods=["post"], permission_classes=[AllowAny])
    def search(self, request: Request) -> Response:
        """Search vacancies by free text.

        A read-only POST: the criteria travel in the body, nothing is changed.
        """
        criteria = VacancySearchSerializer(data=request.data)
        criteria.is_valid(raise_exception=True)
        # The query string's filters, search and ordering apply too: the schema documents them.
        vacancies = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(matching(vacancies, criteria.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CompanyViewSet(mixins.CreateModelMixin, TypedReadOnlyModelViewSet):
    """Companies that publish vacancies."""

    queryset = Company.objects.all()
    serializer_class = CompanySerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_field = "slug"
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    max_upload_size = LOGO_MAX_SIZE

    @extend_schema(
        operation_id="uploadCompanyLogo",
        summary="Upload a company's logo",
        request=CompanyLogoSerializer,
        responses=CompanySerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[TypedMultiPartParser],
        permission_classes=[IsAuthenticated],
    )
    def logo(self, request: Request, slug: str | None = None) -> Response:
        """Upload a company's logo (multipart/form-data, field `logo`), replacing the old one.

        The image's type is read from its content; it is stored under a generated name.
        """
        company = self.get_object()
        upload = CompanyLogoSerializer(company, data=request.data)
        upload.is_valid(raise_exception=True)
        old = company.logo.name if company.logo else None
        upload.save()
        if old and old != company.logo.name:
            company.logo.storage.delete(old)
        return Response(self.get_serializer(company).data)


class SkillViewSet(TypedReadOnlyModelViewSet):
    """Skills vacancies ask for (all of them, unpaginated, for filter pickers)."""

    queryset = Skill.objects.all()
    serializer_class = SkillSerializer
    lookup_field = "slug"
    pagination_class = None
    filter_backends: list = []


class JobApplicationViewSet(mixins.CreateModelMixin, TypedGenericViewSet):
    """Applications to published vacancies, each with a CV (multipart/form-data)."""

    queryset = JobApplication.objects.all()
    serializer_class = JobApplicationSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [TypedMultiPartParser]
    max_upload_size = CV_MAX_SIZE

    def get_queryset(self) -> QuerySet[JobApplication]:
        return super().get_queryset().filter(applicant=self.request.user)


@query_operation
@extend_schema(request=JobSearchSerializer, responses=VacancySerializer(many=True))
@paginated()
@api_view(["POST"])
@permission_classes([AllowAny])
def search_jobs(request: Request) -> Response:
    """Search jobs.

    Matches free text against title, description and company, then narrows by skills,
    city, remote work, minimum salary and employment type. Read-only despite the POST.
    """
    criteria = JobSearchSerializer(data=request.data)
    criteria.is_valid(raise_exception=True)
    paginator = search_jobs.cls.pagination_class()
    vacancies = optimize(Vacancy.objects.visible_to(request.user), VacancySerializer)
    page = paginator.paginate_queryset(matching(vacancies, criteria.validated_data), request)
    data = VacancySerializer(page, many=True, context={"request": request}).data
    return paginator.get_paginated_response(data)


class UserProfileView(RetrieveAPIView):
    """The signed-in user's profile."""

    serializer_class = UserProfileSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return self.request.user
