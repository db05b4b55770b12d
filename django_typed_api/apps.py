from django.apps import AppConfig


class TypedApiConfig(AppConfig):
    name = "django_typed_api"
    verbose_name = "Typed API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing registers the system checks with Django's check framework.
        from . import checks  # noqa: F401
        from .auth import checks as auth_checks  # noqa: F401
        from .auth import signals as auth_signals
        from .errors import checks as error_checks  # noqa: F401

        auth_signals.connect()  # a password change revokes the user's tokens

        # drf-spectacular extensions register when their module is imported.
        from .openapi import auth as auth_schema  # noqa: F401

        # TYPED_API["SYNC_TYPES_ON_RUNSERVER"]: runserver keeps the TypeScript types in sync.
        from .typesync.runserver import start_with_runserver

        start_with_runserver()
