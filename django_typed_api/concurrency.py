"""Lost-update protection: ETag on reads, ``If-Match`` on writes.

Two people edit the same vacancy; without this the second save silently overwrites the first.
With it, every retrieve and update answers with a strong ``ETag``; a PUT/PATCH/DELETE that
sends ``If-Match`` with a stale tag gets a 412 ``precondition_failed`` and changes nothing.
``TYPED_API["REQUIRE_IF_MATCH"] = True`` makes the header mandatory (428).

The ETag stands for the object's *version*: the value of its version field (``updated_at``
on :class:`~django_typed_api.models.BaseModel`, or the viewset's ``version_field``), so a
tag costs nothing to compute. A model without one is versioned by its representation: the
tag is a digest of what the serializer renders, so any visible change is a new version.

The check and the write happen in one transaction with the row locked (``SELECT ... FOR
UPDATE`` where the database has it), so two requests carrying the same tag cannot both pass.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router, transaction
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ._moved import forward
from .conf import typed_api_settings
from .errors.exceptions import PreconditionFailed, PreconditionRequired

# PreconditionFailed and PreconditionRequired live in errors.exceptions, the schema side in
# openapi.conditional; the old names still resolve here for one release.
__getattr__ = forward(__name__, ["django_typed_api.openapi.conditional"])

#: Viewset actions that change an object and so honour ``If-Match``.
CONDITIONAL_ACTIONS = frozenset({"update", "partial_update", "destroy"})
#: Viewset actions whose responses carry the object's ``ETag``.
TAGGED_ACTIONS = frozenset({"retrieve", "update", "partial_update"})


#: The version field a model gets when the viewset names none.
DEFAULT_VERSION_FIELD = "updated_at"


def version_field_of(model: type[models.Model], field: str | None = None) -> str | None:
    """The model's version field: ``field`` if given, else ``updated_at`` when the model has
    it, else None (the model is versioned by its representation)."""
    name = field or DEFAULT_VERSION_FIELD
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        if field:
            return field  # a property or annotation the project named on purpose
        return None
    return name


def etag_for(instance: models.Model, field: str = DEFAULT_VERSION_FIELD) -> str:
    """A strong ETag from the primary key and the value of the version field."""
    version = getattr(instance, field)
    version = version.isoformat() if hasattr(version, "isoformat") else str(version)
    return _tag(f"{instance.pk}:{version}".encode())


def etag_for_representation(data: Any) -> str:
    """A strong ETag from a rendered representation (for models without a version field)."""
    return _tag(JSONRenderer().render(data))


def _tag(value: bytes) -> str:
    return f'"{hashlib.sha256(value).hexdigest()[:32]}"'


def _if_match_tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


class ConditionalUpdateMixin:
    """Viewset mixin: ETag on retrieve/update responses, ``If-Match`` on update/destroy.

    Override points: ``version_field`` (the attribute that changes on every save; default
    ``updated_at`` when the model has it, else the representation is the version) or
    :meth:`get_etag` for anything else (a version counter, a hash of several fields).
    """

    version_field: str | None = None

    def get_etag(self, instance: models.Model, data: Any = None) -> str:
        """The ETag of ``instance``; ``data`` is its representation when already rendered."""
        field = self.version_field or getattr(self, "etag_field", None)  # etag_field: 0.1
        name = version_field_of(type(instance), field)
        if name is not None:
            return etag_for(instance, name)
        if data is None:
            data = self.get_serializer(instance).data  # type: ignore[attr-defined]
        return etag_for_representation(data)

    def _conditional(self) -> bool:
        return getattr(self, "action", None) in CONDITIONAL_ACTIONS

    def get_queryset(self) -> Any:
        queryset = super().get_queryset()  # type: ignore[misc]
        if self._conditional():
            connection = connections[router.db_for_write(queryset.model)]
            if connection.features.has_select_for_update:
                of = ("self",) if connection.features.has_select_for_update_of else ()
                queryset = queryset.select_for_update(of=of)
        return queryset

    def get_object(self) -> Any:
        instance = super().get_object()  # type: ignore[misc]
        if self._conditional():
            self.check_if_match(self.request, instance)  # type: ignore[attr-defined]
        if getattr(self, "action", None) in TAGGED_ACTIONS:
            self._etag_instance = instance  # an update replaces it with the saved one
        return instance

    def check_if_match(self, request: Request, instance: models.Model) -> None:
        header = request.headers.get("If-Match")
        if header is None:
            if typed_api_settings.REQUIRE_IF_MATCH:
                raise PreconditionRequired()
            return
        tags = _if_match_tags(header)
        current = self.get_etag(instance)
        # Weak tags (W/"...") never match under the strong comparison RFC 9110 requires here.
        if "*" not in tags and current not in tags:
            raise PreconditionFailed()

    def _locked(self, handler: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        # the view's own get_queryset(): a viewset may define only that, without `queryset`
        model = self.get_queryset().model
        with transaction.atomic(using=router.db_for_write(model)):
            return handler(request, *args, **kwargs)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._locked(super().update, request, *args, **kwargs)  # type: ignore[misc]

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._locked(super().destroy, request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if (
            getattr(self, "action", None) in TAGGED_ACTIONS
            and 200 <= response.status_code < 300
            and getattr(response, "data", None) is not None
        ):
            instance = getattr(self, "_etag_instance", None)
            if instance is not None:
                response["ETag"] = self.get_etag(instance, response.data)
        return response

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)  # type: ignore[misc]
        self._etag_instance = serializer.instance
