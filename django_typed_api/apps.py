from django.apps import AppConfig


class TypedApiConfig(AppConfig):
    name = "django_typed_api"
    verbose_name = "Typed API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing registers the system checks with Django's check framework.
        from . import checks  # noqa: F401
        from .auth import checks as auth_checks  # noqa: F401
