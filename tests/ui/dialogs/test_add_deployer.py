"""Trusted deployers > Add…: the GitHub Actions and GitLab CI presets and the generic form,
each asking for what it needs (Add waits for it), handing the service the binding the
command line's presets make; a refusal said under the form in the service's own words
(nothing written, the dialog still open); every field labelled and reached by Tab."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.oidc import bindings
from tests.support.ui import click
from ui.dialogs.add_deployer import AddDeployerDialog

AUDIENCE = "deployment-tokens:deploy.example.com"


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)  # the dialog deletes itself when closed: its parent is kept
    return widget


@pytest.fixture
def asked() -> list[dict]:
    return []


@pytest.fixture
def dialog(qtbot, parent, service, web_project, asked) -> AddDeployerDialog:
    def submit(**binding):
        asked.append(binding)
        return service.add_deployer(web_project, **binding)

    dialog = AddDeployerDialog(web_project, submit, service, parent)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_it_opens_on_github_with_the_kind_focused_and_add_waiting(dialog):
    assert dialog.kind() == "github"
    assert dialog.kind_choice().currentText() == "GitHub Actions"
    assert [dialog.kind_choice().itemText(i) for i in range(3)] == [
        "GitHub Actions",
        "GitLab CI",
        "Another OIDC issuer",
    ]
    assert dialog.focusWidget() is dialog.kind_choice()
    assert "its id cannot" in dialog.kind_choice().accessibleDescription()
    assert not dialog.add_button().isEnabled()
    assert dialog.field("lifetime").text() == "15m"


def test_the_github_preset_binds_the_ids_and_the_environment(qtbot, dialog, service, asked):
    service.add_environment("web", "production")
    for key, text in (
        ("repository", "acme/web"),
        ("repositoryId", "123"),
        ("ownerId", "9"),
        ("githubEnvironment", "production"),
    ):
        dialog.field(key).setText(text)
        assert not dialog.add_button().isEnabled()  # the audience is still missing
    dialog.field("audience").setText(AUDIENCE)
    with qtbot.waitSignal(dialog.added) as added:
        click(qtbot, dialog.add_button())
    record, warnings = added.args
    assert warnings == []
    assert asked == [
        {
            "issuer": bindings.GITHUB_ISSUER,
            "audience": AUDIENCE,
            "claims": [
                ("repository_id", "123"),
                ("repository_owner_id", "9"),
                ("environment", "production"),
            ],
            "environments": ["production"],
            "lifetime": timedelta(minutes=15),
            "name": "GitHub acme/web",
        }
    ]
    assert record.name == "GitHub acme/web"


def test_the_gitlab_preset_binds_the_project_and_protected_refs(qtbot, dialog, asked):
    dialog.choose_kind("gitlab")
    dialog.field("gitlabUrl").setText("https://gitlab.example.com")
    dialog.field("gitlabProjectId").setText("42")
    dialog.field("audience").setText(AUDIENCE)
    dialog.field("lifetime").setText("1h")
    assert dialog.protected_check().isChecked()
    with qtbot.waitSignal(dialog.added) as added:
        click(qtbot, dialog.add_button())
    _, warnings = added.args
    assert warnings == []
    [binding] = asked
    assert binding["issuer"] == "https://gitlab.example.com"
    assert binding["claims"] == [("project_id", "42"), ("ref_protected", "true")]
    assert binding["environments"] == []
    assert binding["lifetime"] == timedelta(hours=1)


def test_the_generic_form_hands_on_the_weak_bindings_warnings(qtbot, dialog, asked):
    dialog.choose_kind("generic")
    dialog.field("issuer").setText("https://oidc.example.com")
    dialog.field("audience").setText(AUDIENCE)
    dialog.claims_field().setPlainText("repository=acme/web\n")
    with qtbot.waitSignal(dialog.added) as added:
        click(qtbot, dialog.add_button())
    _, warnings = added.args
    assert any("matches names only" in warning for warning in warnings)
    assert asked[0]["name"] is None  # the service names it after the issuer


def test_a_preset_refusal_is_said_under_the_form_and_nothing_is_asked(qtbot, dialog, asked):
    dialog.field("repository").setText("acme")  # not OWNER/REPO
    dialog.field("repositoryId").setText("123")
    dialog.field("ownerId").setText("9")
    dialog.field("audience").setText(AUDIENCE)
    click(qtbot, dialog.add_button())
    assert "OWNER/REPO" in dialog.problem()
    assert asked == []
    assert dialog.isVisible()
    dialog.choose_kind("gitlab")  # another kind: what was said is of the other form
    assert dialog.problem() == ""


def test_a_service_refusal_keeps_the_dialog_open(qtbot, dialog, service, asked):
    dialog.field("repository").setText("acme/web")
    dialog.field("repositoryId").setText("123")
    dialog.field("ownerId").setText("9")
    dialog.field("githubEnvironment").setText("production")  # no such environment
    dialog.field("audience").setText(AUDIENCE)
    click(qtbot, dialog.add_button())
    qtbot.waitUntil(lambda: dialog.problem() != "")
    assert "production" in dialog.problem()
    assert len(asked) == 1
    assert service.list_deployers("web") == []
    assert dialog.isVisible()


def test_every_field_is_labelled_and_tab_follows_the_form(dialog):
    for kind in ("github", "gitlab", "generic"):
        dialog.choose_kind(kind)
        labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
        shown = [label for label in labels if label.isVisibleTo(dialog)]
        for label in shown:
            assert "&" in label.text(), label.text()
            assert label.buddy().accessibleName(), label.text()
        chain = [dialog.kind_choice()]
        widget = dialog.kind_choice()
        while len(chain) < 8:
            widget = widget.nextInFocusChain()
            if widget is dialog.kind_choice():
                break
            focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            if focusable and widget.isVisibleTo(dialog) and widget.isEnabled():
                chain.append(widget)
        buddies = [label.buddy() for label in shown if label.buddy() is not dialog.kind_choice()]
        fields = [w for w in chain if w in buddies]
        # Down the form, then the audience and the lifetime.
        assert fields[-2:] == [dialog.field("audience"), dialog.field("lifetime")], kind
        assert len(fields) == len(buddies), kind
