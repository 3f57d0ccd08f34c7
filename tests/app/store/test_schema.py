"""The schema facts that the models, the migrations and the plain-SQL verifier share."""

from __future__ import annotations

from app.store import migrations, models, notification_models, schema


def test_the_schema_facts_are_the_models_and_the_migrations_own():
    """app.store.schema is what the plain-SQL verifier knows of the tables: one source."""
    assert len(migrations.MIGRATIONS) == schema.SCHEMA_VERSION
    assert {model._meta.table_name for model in models.ALL_MODELS} == {
        schema.SCHEMA_VERSION_TABLE,
        schema.PROJECT_TABLE,
        schema.TOKEN_TABLE,
        schema.AUDIT_TABLE,
        schema.CONTROL_STATE_TABLE,
        schema.ENVIRONMENT_TABLE,
        schema.TOKEN_ENVIRONMENT_TABLE,
        schema.INTROSPECTION_CLIENT_TABLE,
        schema.REVOKED_TOKEN_TABLE,
        schema.REVOCATION_KEY_TABLE,
    }


def test_the_notification_tables_are_their_own_modules():
    """Schema version 10's tables: their models beside the others', named once."""
    assert {model._meta.table_name for model in notification_models.NOTIFICATION_MODELS} == {
        notification_models.NOTIFICATION_TARGET_TABLE,
        notification_models.EXPIRY_WARNING_TABLE,
        notification_models.NOTIFICATION_DELIVERY_TABLE,
        notification_models.NOTIFICATION_POLICY_TABLE,
    }
    assert not {model._meta.table_name for model in models.ALL_MODELS} & {
        model._meta.table_name for model in notification_models.NOTIFICATION_MODELS
    }
