from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("vacancies", views.VacancyViewSet)
router.register("companies", views.CompanyViewSet)
router.register("skills", views.SkillViewSet)
router.register("applications", views.JobApplicationViewSet)

urlpatterns = [
    path("jobs/search/", views.search_jobs, name="search-jobs"),
    path("user/profile/", views.UserProfileView.as_view(), name="user-profile"),
    *router.urls,
]
