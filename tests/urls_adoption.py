"""Views shaped like an existing DRF project's, for the adoption tests (presets, checks)."""

from django.urls import path
from rest_framework import generics, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView
from vacancies.models import Skill, Vacancy


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "name", "slug"]


class RemoteVacancySerializer(serializers.ModelSerializer):
    class Meta:
        model = Vacancy
        fields = ["id", "title", "remote"]


class VacancyFieldsViewSet(viewsets.ReadOnlyModelViewSet):
    """The README quickstart's pattern: ``filterset_fields`` instead of a FilterSet class."""

    queryset = Vacancy.objects.order_by("title")
    serializer_class = RemoteVacancySerializer
    filterset_fields = ["remote"]
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    pagination_class = None


class PlainSkillList(generics.ListAPIView):
    """An unpaginated list before the preset."""

    queryset = Skill.objects.order_by("name")
    serializer_class = SkillSerializer
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []


class UnpaginatedSkillList(PlainSkillList):
    pagination_class = None


class HandBuiltRefusal(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    def get(self, request):
        return Response({"detail": "Not yours."}, status=403)


router = SimpleRouter()
router.register("api/adoption/vacancies", VacancyFieldsViewSet, basename="adoption-vacancies")

urlpatterns = [
    *router.urls,
    path("api/adoption/skills/", PlainSkillList.as_view()),
    path("api/adoption/skills-unpaginated/", UnpaginatedSkillList.as_view()),
    path("api/adoption/refusal/", HandBuiltRefusal.as_view()),
]
