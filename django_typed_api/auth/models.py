"""The database side of revocation: the source of truth the cache sits in front of.

Logout writes the access token's ``jti`` here (:class:`RevokedToken`, kept until the token
would have expired anyway); a password change or ``logoutAll`` raises the user's
:class:`TokenGeneration`, which refuses every token issued before. A restarted or flushed
cache, or a per-process one, cannot bring such a token back.
"""

from __future__ import annotations

from django.db import models


class RevokedToken(models.Model):
    """An access token refused before its ``exp`` (logout)."""

    jti = models.CharField(primary_key=True, max_length=255)
    #: When the token expires on its own; later the row is useless and is pruned.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "django_typed_api"
        verbose_name = "revoked access token"

    def __str__(self) -> str:
        return self.jti


class TokenGeneration(models.Model):
    """Tokens of ``user_id`` issued with a lower generation (claim ``gen``) are refused.

    Keyed by the token's user id claim (a string, as in the token), not a foreign key, so it
    works with any user model and costs no join.
    """

    user_id = models.CharField(primary_key=True, max_length=255)
    generation = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "django_typed_api"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.generation}"
