"""The Destinations pane's model: Qt's own consistency checks, each destination's name,
where it is and its last push in words, and a credential missing from the environment
marked by an icon, the accessible text and the tooltip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.destinations import targets
from app.records import DestinationRecord
from ui.models.destinations import (
    DestinationColumn,
    DestinationsModel,
    last_push_text,
    missing_credential,
    where_in_words,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
# The warning icon is drawn, which needs the application.
pytestmark = pytest.mark.usefixtures("qapp")


def record(id_, name="bao", kind="vault", variables=("VAULT_TOKEN", "BAO_TOKEN"), **more):
    values = {
        "id": id_,
        "project": "web",
        "name": name,
        "kind": kind,
        "description": "OpenBao/Vault https://bao.example.com, secret/ci/web, field token",
        "created_at": NOW - timedelta(days=3),
        "created_by": "alice",
        "credential_variables": variables,
    }
    values.update(more)
    return DestinationRecord(**values)


def shown(model, row, column, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, column).data(role)


def test_the_model_passes_qt_model_tests(qtmodeltester):
    model = DestinationsModel(clock=lambda: NOW)
    qtmodeltester.check(model, force_py=True)
    model.set_destinations(
        [
            record(1),
            record(
                2,
                "gl",
                "gitlab",
                ("GITLAB_TOKEN",),
                last_push_at=NOW - timedelta(minutes=5),
                last_push_outcome="failed",
                last_push_detail="push to gl failed: 403",
            ),
        ]
    )
    qtmodeltester.check(model, force_py=True)


def test_each_row_says_its_name_where_and_last_push():
    model = DestinationsModel(clock=lambda: NOW)
    pushed = record(1, last_push_at=NOW - timedelta(hours=2), last_push_outcome="pushed",
                    last_push_detail="read back version 3")  # fmt: skip
    model.set_destinations([pushed])
    assert [shown(model, 0, c) for c in DestinationColumn] == [
        "bao",
        pushed.description,
        "2 hours ago, pushed",
    ]
    assert shown(model, 0, DestinationColumn.LAST_PUSH, Qt.ItemDataRole.ToolTipRole).endswith(
        "read back version 3"
    )
    assert shown(model, 0, DestinationColumn.NAME, Qt.ItemDataRole.DecorationRole) is None
    assert "VAULT_TOKEN, BAO_TOKEN" in shown(model, 0, 1, Qt.ItemDataRole.ToolTipRole)


def test_a_missing_credential_is_said_and_marked():
    model = DestinationsModel(clock=lambda: NOW)
    model.set_destinations([record(1, credential_set=False)])
    said = "Set VAULT_TOKEN (or BAO_TOKEN) before pushing"
    assert missing_credential(record(1, credential_set=False)) == said
    assert missing_credential(record(1)) is None
    gitlab = record(2, kind="gitlab", variables=("GITLAB_TOKEN",), credential_set=False)
    assert missing_credential(gitlab) == "Set GITLAB_TOKEN before pushing"
    assert shown(model, 0, 0, Qt.ItemDataRole.DecorationRole) is not None
    assert shown(model, 0, 0, Qt.ItemDataRole.AccessibleTextRole) == f"bao. {said}"
    assert shown(model, 0, 0, Qt.ItemDataRole.ToolTipRole).startswith(said)


def test_outcomes_in_words():
    assert last_push_text(record(1), NOW) == "Never"
    tested = record(1, last_push_at=NOW, last_push_outcome="check failed")
    assert last_push_text(tested, NOW) == "just now, test failed"
    assert last_push_text(record(1, last_push_at=NOW, last_push_outcome="checked"), NOW) == (
        "just now, tested"
    )


THREE_TARGETS = (
    targets.vault_target("https://bao.example.com", "secret/ci/web"),
    targets.github_target("acme/web", "DEPLOY_TOKEN", "production"),
    targets.gitlab_target("https://gitlab.example.com", "42", "DEPLOY_TOKEN", "production"),
)


def test_where_is_said_as_the_command_line_says_it_in_english():
    for target in (*THREE_TARGETS, targets.github_target("acme/web", "DEPLOY_TOKEN")):
        listed = record(1, kind=target.kind, description=target.describe(), target=target)
        assert where_in_words(listed) == target.describe()


@pytest.mark.usefixtures("german")
def test_where_is_said_in_the_users_language():
    model = DestinationsModel(clock=lambda: NOW)
    model.set_destinations(
        [record(i, f"d{i}", t.kind, target=t) for i, t in enumerate(THREE_TARGETS)]
    )
    assert [shown(model, row, DestinationColumn.WHERE) for row in range(3)] == [
        "OpenBao/Vault https://bao.example.com secret/ci/web (Feld token)",
        "GitHub acme/web, Geheimnis DEPLOY_TOKEN, Umgebung production",
        "GitLab https://gitlab.example.com Projekt 42, Variable DEPLOY_TOKEN, "
        "Umgebungsbereich production",
    ]
