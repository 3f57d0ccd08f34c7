"""The stored side of destinations (schema version 12): where a project's tokens are
pushed (a Vault/OpenBao secret, a GitHub Actions secret, a GitLab CI/CD variable), each
with its last push; and a project's rotation policy (``rotate-due``). Never a credential:
those come from the environment at each push (``app.destinations.targets``).
"""

from __future__ import annotations

from app.store.models import ACTOR_MAX_LENGTH, BaseModel, MonotonicIdField, Project
from app.store.orm import peewee
from app.store.schema import DESTINATION_TABLE, ROTATION_POLICY_TABLE

NAME_MAX_LENGTH = 100
NAME_KEY_MAX_LENGTH = 400
KIND_MAX_LENGTH = 16
TARGET_MAX_LENGTH = 2000
OUTCOME_MAX_LENGTH = 16
DETAIL_MAX_LENGTH = 1000


class Destination(BaseModel):
    """A place a project's tokens are pushed to, by name (``--push NAME``)."""

    # Never reused: a stale "destinations remove 7" must not remove a newer one.
    id = MonotonicIdField()
    project = peewee.ForeignKeyField(Project, on_delete="CASCADE")
    name = peewee.CharField(max_length=NAME_MAX_LENGTH)
    name_key = peewee.CharField(max_length=NAME_KEY_MAX_LENGTH)
    kind = peewee.CharField(max_length=KIND_MAX_LENGTH)
    # app.destinations.targets.Target.to_json(): where, never with what credential.
    target = peewee.CharField(max_length=TARGET_MAX_LENGTH)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField(max_length=ACTOR_MAX_LENGTH)
    # The last push or check: when, "pushed", "failed", "checked" or "check failed",
    # and what happened in words (never a credential, never a token).
    last_push_at = peewee.DateTimeField(null=True)
    last_push_outcome = peewee.CharField(max_length=OUTCOME_MAX_LENGTH, null=True)
    last_push_detail = peewee.CharField(max_length=DETAIL_MAX_LENGTH, default="")

    class Meta:
        table_name = DESTINATION_TABLE
        indexes = ((("project", "name_key"), True),)


class RotationPolicy(BaseModel):
    """When rotate-due rotates a project's pushed tokens: ``rotate_before_days`` before
    they expire (NULL: never by itself), the old token living ``grace_seconds`` more."""

    project = peewee.ForeignKeyField(Project, primary_key=True, on_delete="CASCADE")
    # The bounds set_rotation_policy keeps, kept by the database too (psql included).
    rotate_before_days = peewee.IntegerField(
        null=True, constraints=[peewee.Check("rotate_before_days BETWEEN 1 AND 365")]
    )
    grace_seconds = peewee.IntegerField(
        default=0, constraints=[peewee.Check("grace_seconds BETWEEN 0 AND 31536000")]
    )

    class Meta:
        table_name = ROTATION_POLICY_TABLE


DESTINATION_MODELS = (Destination, RotationPolicy)
