"""The Trusted deployers pane's model: Qt's own consistency checks, each binding's issuer
in short and its claims in words, the lifetime and the last exchange, and a weak binding
marked by an icon and its accessible description as well as its tooltip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from app.oidc import bindings
from app.use_cases.deployers import DeployerRecord
from ui.models.deployers import (
    DeployerColumn,
    DeployersModel,
    claims_in_words,
    issuer_name,
    lifetime_text,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
GITHUB = {"repository_id": "123", "repository_owner_id": "9", "environment": "production"}


def record(id_, issuer=bindings.GITHUB_ISSUER, claims=None, name="GitHub acme/web", **more):
    values = {
        "id": id_,
        "project": "web",
        "name": name,
        "issuer": issuer,
        "audience": "deployment-tokens:deploy.example.com",
        "claims": GITHUB if claims is None else claims,
        "environments": ("production",),
        "lifetime": timedelta(minutes=15),
        "created_at": NOW - timedelta(days=3),
        "created_by": "alice",
        "last_exchanged_at": None,
    }
    values.update(more)
    return DeployerRecord(**values)


def shown(model, row, column, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, column).data(role)


def test_the_model_passes_qt_model_tests(qtmodeltester):
    model = DeployersModel(clock=lambda: NOW)
    qtmodeltester.check(model, force_py=True)
    model.set_deployers([record(1), record(2, "https://gitlab.example.com", {"project_id": "4"})])
    qtmodeltester.check(model, force_py=True)


def test_issuers_are_said_in_short():
    assert issuer_name(bindings.GITHUB_ISSUER) == "GitHub Actions"
    assert issuer_name("https://gitlab.example.com") == "GitLab gitlab.example.com"
    assert issuer_name("https://gitlab.com") == "GitLab gitlab.com"
    assert issuer_name("https://oidc.example.com/tenant") == "oidc.example.com"


def test_claims_are_said_in_words():
    assert claims_in_words("GitHub acme/web", GITHUB) == (
        "GitHub acme/web (id 123), environment production"
    )
    gitlab = {"project_id": "42", "ref_protected": "true"}
    assert claims_in_words("GitLab gitlab.example.com project 42", gitlab) == (
        "project 42, protected refs only"
    )
    assert claims_in_words("OIDC x", {"sub": "repo:acme/web", "repository_owner_id": "9"}) == (
        "owner id 9, sub=repo:acme/web"
    )


def test_rows_say_issuer_claims_environments_lifetime_and_last_exchange():
    model = DeployersModel(clock=lambda: NOW)
    model.set_deployers(
        [
            record(1, last_exchanged_at=NOW - timedelta(minutes=5)),
            record(
                2,
                "https://gitlab.example.com",
                {"project_id": "42", "ref_protected": "true"},
                "GitLab gitlab.example.com project 42",
                environments=(),
                lifetime=timedelta(hours=1),
            ),
        ]
    )
    rows = [[shown(model, r, c) for c in DeployerColumn] for r in range(2)]
    assert rows == [
        ["GitHub Actions", "GitHub acme/web (id 123), environment production", "production",
         "15 min", "5 minutes ago"],
        ["GitLab gitlab.example.com", "project 42, protected refs only", "every environment",
         "1 h", "Never"],
    ]  # fmt: skip
    assert lifetime_text(timedelta(minutes=90)) == "90 min"
    tip = shown(model, 0, DeployerColumn.CLAIMS, Qt.ItemDataRole.ToolTipRole)
    assert "deployment-tokens:deploy.example.com" in tip
    assert "repository_owner_id=9" in tip
    assert shown(model, 0, DeployerColumn.ISSUER, Qt.ItemDataRole.ToolTipRole) == (
        bindings.GITHUB_ISSUER
    )


def test_a_weak_binding_is_marked_for_every_reader(qtbot):
    model = DeployersModel(clock=lambda: NOW)
    names_only = {"repository": "acme/web", "environment": "production"}
    model.set_deployers([record(1), record(2, claims=names_only, name="OIDC x")])
    assert shown(model, 0, DeployerColumn.CLAIMS, Qt.ItemDataRole.DecorationRole) is None
    assert shown(model, 1, DeployerColumn.CLAIMS, Qt.ItemDataRole.DecorationRole) is not None
    described = shown(model, 1, DeployerColumn.CLAIMS, Qt.ItemDataRole.AccessibleDescriptionRole)
    assert described.startswith("A weak binding")
    tip = shown(model, 1, DeployerColumn.CLAIMS, Qt.ItemDataRole.ToolTipRole)
    assert "matches names only" in tip


def test_the_same_records_keep_the_model_as_it_is(qtbot):
    model = DeployersModel(clock=lambda: NOW)
    model.set_deployers([record(1)])
    with qtbot.assertNotEmitted(model.modelReset):
        model.set_deployers([record(1)])
    assert model.row_of(1) == 0
    assert model.row_of(7) is None
