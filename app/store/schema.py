"""What the stored data looks like, in plain values: the facts that the peewee models
(``app.store.models``, ``app.store.migrations``) and the plain-SQL verifier (``app.verification``)
must agree on. Imports nothing, so the verify path can use it without peewee.
"""

from __future__ import annotations

# The version the migrations bring a database to; app.store.migrations has one step per version.
SCHEMA_VERSION = 12

SCHEMA_VERSION_TABLE = "schema_version"
PROJECT_TABLE = "project"
TOKEN_TABLE = "deployment_token"  # noqa: S105 (a table name, not a secret)
AUDIT_TABLE = "audit_event"
CONTROL_STATE_TABLE = "control_state"
ENVIRONMENT_TABLE = "environment"
TOKEN_ENVIRONMENT_TABLE = "token_environment"  # noqa: S105 (a table name)
INTROSPECTION_CLIENT_TABLE = "introspection_client"
REVOKED_TOKEN_TABLE = "revoked_token"  # noqa: S105 (a table name)
REVOCATION_KEY_TABLE = "revocation_key"
TRUSTED_DEPLOYER_TABLE = "trusted_deployer"
EXCHANGED_SUBJECT_TABLE = "exchanged_subject"
DESTINATION_TABLE = "destination"
ROTATION_POLICY_TABLE = "rotation_policy"

# The largest id (and page offset) either backend stores: a signed 64-bit integer.
MAX_ID = 2**63 - 1

# The one row of control_state that every client shares.
CONTROL_STATE_ID = 1

# How long a connection waits for another writer's lock before giving up.
BUSY_TIMEOUT_SECONDS = 5.0
