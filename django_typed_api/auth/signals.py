"""A password change revokes every token of the user (connected in ``AppConfig.ready``).

Django's ``set_password`` keeps the new raw password on ``user._password`` until ``save``
has stored it, which is when ``post_save`` fires: so this catches the admin's password forms,
``manage.py changepassword``, Django's password views and any ``set_password`` + ``save``.
(A queryset ``update(password=...)`` bypasses it; call :func:`.revocation.revoke_all`.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from rest_framework_simplejwt import settings as jwt_settings

from .revocation import revoke_all


def revoke_tokens_on_password_change(
    sender: Any, instance: Any, created: bool, **kwargs: Any
) -> None:
    if created or getattr(instance, "_password", None) is None:
        return
    revoke_all(getattr(instance, jwt_settings.api_settings.USER_ID_FIELD))


def connect() -> None:
    post_save.connect(
        revoke_tokens_on_password_change,
        sender=settings.AUTH_USER_MODEL,
        dispatch_uid="django_typed_api.auth.revoke_tokens_on_password_change",
    )
