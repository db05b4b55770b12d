"""Abstract base model for API resources."""

from __future__ import annotations

import uuid

from django.db import models

# The app's own tables (token revocation), registered with the app.
from .auth.models import RevokedToken, TokenGeneration

__all__ = ["BaseModel", "RevokedToken", "TokenGeneration"]


class BaseModel(models.Model):
    """UUID primary key and timestamps, newest first.

    UUIDs keep ids unguessable and stable across databases; ``created_at`` is indexed because
    it is the default ordering of every list endpoint.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        # "-id" breaks ties between rows created in the same instant, so pages are stable.
        ordering = ("-created_at", "-id")
        get_latest_by = "created_at"
