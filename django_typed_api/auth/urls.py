"""``path("api/", include("django_typed_api.auth.urls"))`` -> ``/api/auth/login/`` etc.

Also included by ``django_typed_api.urls``. The paths share the ``auth/`` folder, which is
the refresh cookie's Path in cookie mode.
"""

from __future__ import annotations

from django.urls import path

from . import views

# The same namespace as django_typed_api.urls, so reverse("typed_api:login") works whichever
# of the two a project includes.
app_name = "typed_api"

urlpatterns = [
    path("auth/login/", views.LoginView.as_view(), name="login"),
    path("auth/refresh/", views.RefreshTokenView.as_view(), name="refresh-token"),
    path("auth/verify/", views.VerifyTokenView.as_view(), name="verify-token"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("auth/logout-all/", views.LogoutAllView.as_view(), name="logout-all"),
]
