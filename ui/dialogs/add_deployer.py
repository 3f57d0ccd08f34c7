"""Trusted deployers > Add…: a binding of the project, from the GitHub Actions or GitLab CI
preset or the generic form (issuer, audience, claims). The dialog adds it (off the GUI
thread) and stays open, saying why under the form, when the service refuses it; nothing
is written then."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.oidc import bindings
from ui.background import Connections
from ui.dialogs.add_record import AddRecordDialog, form_grid
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.use_cases.deployers import DeployerRecord

TITLE = QT_TRANSLATE_NOOP("AddDeployerDialog", "Add trusted deployer")
GITHUB = "github"
GITLAB = "gitlab"
GENERIC = "generic"
KINDS = (GITHUB, GITLAB, GENERIC)
KIND_NAMES = {
    GITHUB: QT_TRANSLATE_NOOP("AddDeployerDialog", "GitHub Actions"),
    GITLAB: QT_TRANSLATE_NOOP("AddDeployerDialog", "GitLab CI"),
    GENERIC: QT_TRANSLATE_NOOP("AddDeployerDialog", "Another OIDC issuer"),
}
MEANINGS = {
    GITHUB: QT_TRANSLATE_NOOP(
        "AddDeployerDialog",
        "Jobs of one repository, by its id and its owner's id: a deleted repository's name "
        "can be registered by someone else, its id cannot. Name the GitHub environment "
        "that guards deployments, so a pushed branch cannot deploy.",
    ),
    GITLAB: QT_TRANSLATE_NOOP(
        "AddDeployerDialog",
        "Jobs of one project of a GitLab instance, by the project's id. Allow protected "
        "branches and tags only, or name an environment, so a pushed branch cannot deploy.",
    ),
    GENERIC: QT_TRANSLATE_NOOP(
        "AddDeployerDialog",
        "Any OIDC issuer: its ID token must carry every claim below exactly (no patterns). "
        "Bind immutable ids, and an environment or a protected ref.",
    ),
}

Submit = Callable[..., tuple["DeployerRecord", list[str]]]


class AddDeployerDialog(AddRecordDialog):
    """Asks for a binding, adds it through ``submit(issuer=, audience=, claims=,
    environments=, lifetime=, name=)``, and says ``added(record, warnings)``."""

    added = Signal(object, object)

    def __init__(
        self,
        project: str,
        submit: Submit,
        connections: Connections,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "addDeployerDialog", _tr(TITLE), connections, parent, problem_name="deployerProblem"
        )
        self._submit = submit

        intro = QLabel(
            arg(
                self.tr(
                    "CI jobs that prove who they are with an OIDC ID token get a "
                    "short-lived token of %1. Nothing long-lived is stored in the CI system."
                ),
                project,
            )
        )
        intro.setWordWrap(True)
        self._fields: dict[str, QLineEdit] = {}
        self._fill_kind_choice(
            "deployerKindChoice", [(kind, _tr(KIND_NAMES[kind])) for kind in KINDS]
        )
        self._meaning = QLabel()
        self._meaning.setObjectName("kindMeaning")
        self._meaning.setWordWrap(True)
        self._forms = QStackedWidget()
        self._forms.addWidget(self._github_form())
        self._forms.addWidget(self._gitlab_form())
        self._forms.addWidget(self._generic_form())

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._top())
        layout.addWidget(self._forms)
        layout.addLayout(self._common())
        layout.addWidget(self._problem)
        layout.addStretch(1)
        layout.addWidget(self._button_box)
        self.setMinimumWidth(600)
        self._kind_chosen()
        self._kind.setFocus()

    # Building

    def _top(self) -> QGridLayout:
        label = QLabel(self.tr("&Kind:"))
        label.setBuddy(self._kind)
        grid = form_grid()
        grid.addWidget(label, 0, 0)
        grid.addWidget(self._kind, 0, 1)
        grid.addWidget(self._meaning, 1, 1)
        return grid

    def _field(self, key: str, label: str, placeholder: str = "", hint: str = "") -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(f"{key}Field")
        field.setAccessibleName(label.replace("&", "").rstrip(":"))
        field.setPlaceholderText(placeholder)
        field.setToolTip(hint)
        field.setProperty("hint", hint)
        field.setAccessibleDescription(hint)
        field.setMaxLength(bindings.ISSUER_MAX_LENGTH)
        field.textChanged.connect(self._typed)
        self._fields[key] = field
        return field

    def _form(self, rows: Sequence[tuple[str, QWidget]]) -> QWidget:
        page = QWidget()
        grid = form_grid(page)
        for row, (label, widget) in enumerate(rows):
            if isinstance(widget, QCheckBox):
                grid.addWidget(widget, row, 1)
                continue
            shown = QLabel(label)
            shown.setBuddy(widget)
            if isinstance(widget, QPlainTextEdit):  # beside its first line
                shown.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                shown.setContentsMargins(0, 4, 0, 0)
            grid.addWidget(shown, row, 0)
            grid.addWidget(widget, row, 1)
        return page

    def _github_form(self) -> QWidget:
        repository = self._field(
            "repository", self.tr("Repository"), self.tr("OWNER/REPO, such as acme/web")
        )
        repository_id = self._field(
            "repositoryId", self.tr("Repository id"), self.tr("such as 123456789")
        )
        owner_id = self._field("ownerId", self.tr("Owner id"), self.tr("such as 987654"))
        environment = self._field(
            "githubEnvironment",
            self.tr("Environment"),
            self.tr("optional, such as production"),
            self.tr(
                "The job's GitHub environment; the tokens are limited to the project's "
                "environment of that name too."
            ),
        )
        return self._form(
            [
                (self.tr("&Repository:"), repository),
                (self.tr("Repository &id:"), repository_id),
                (self.tr("&Owner id:"), owner_id),
                (self.tr("E&nvironment:"), environment),
            ]
        )

    def _gitlab_form(self) -> QWidget:
        self._protected = QCheckBox(self.tr("&Protected branches and tags only"))
        self._protected.setObjectName("refProtectedCheck")
        self._protected.setChecked(True)
        self._protected.toggled.connect(self._typed)
        url = self._field(
            "gitlabUrl", self.tr("Instance URL"), self.tr("such as https://gitlab.example.com")
        )
        project_id = self._field("gitlabProjectId", self.tr("Project id"), self.tr("such as 42"))
        environment = self._field(
            "gitlabEnvironment",
            self.tr("Environment"),
            self.tr("optional, such as production"),
            self.tr(
                "The job's environment; the tokens are limited to the project's environment "
                "of that name too."
            ),
        )
        return self._form(
            [
                (self.tr("&Instance URL:"), url),
                (self.tr("Project i&d:"), project_id),
                ("", self._protected),
                (self.tr("E&nvironment:"), environment),
            ]
        )

    def _generic_form(self) -> QWidget:
        self._claims = QPlainTextEdit()
        self._claims.setObjectName("claimsField")
        self._claims.setAccessibleName(self.tr("Claims"))
        hint = self.tr("One claim a line, KEY=VALUE, such as repository_id=123.")
        self._claims.setAccessibleDescription(hint)
        self._claims.setToolTip(hint)
        self._claims.setPlaceholderText(self.tr("KEY=VALUE, one a line"))
        self._claims.setTabChangesFocus(True)
        self._claims.setFixedHeight(self._claims.fontMetrics().lineSpacing() * 4 + 12)
        self._claims.textChanged.connect(self._typed)
        issuer = self._field(
            "issuer", self.tr("Issuer"), self.tr("https://, such as https://oidc.example.com")
        )
        environments = self._field(
            "environments",
            self.tr("Environments"),
            self.tr("optional: every environment"),
            self.tr("The project's environments the tokens are for, separated by commas."),
        )
        return self._form(
            [
                (self.tr("I&ssuer:"), issuer),
                (self.tr("&Claims:"), self._claims),
                (self.tr("E&nvironments:"), environments),
            ]
        )

    def _common(self) -> QGridLayout:
        audience = self._field(
            "audience",
            self.tr("Audience"),
            self.tr("such as deployment-tokens:deploy.example.com"),
            self.tr("The aud the job asks its ID token for."),
        )
        lifetime = self._field(
            "lifetime",
            self.tr("Lifetime"),
            "",
            self.tr("How long each exchanged token lives: 15m by default, at most 1h."),
        )
        lifetime.setText("15m")
        lifetime.setMaximumWidth(lifetime.fontMetrics().horizontalAdvance("0000m") + 40)
        grid = form_grid()
        for row, (text, field) in enumerate(
            ((self.tr("&Audience:"), audience), (self.tr("&Lifetime:"), lifetime))
        ):
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
            grid.addWidget(
                field, row, 1, Qt.AlignmentFlag.AlignLeft if row else Qt.AlignmentFlag(0)
            )
        return grid

    # What tests and the pane reach for

    def field(self, key: str) -> QLineEdit:
        """A line of the form: repository, repositoryId, ownerId, githubEnvironment,
        gitlabUrl, gitlabProjectId, gitlabEnvironment, issuer, environments, audience,
        lifetime."""
        return self._fields[key]

    def claims_field(self) -> QPlainTextEdit:
        return self._claims

    def protected_check(self) -> QCheckBox:
        return self._protected

    # Adding

    def _write(self) -> Callable[[], tuple[DeployerRecord, list[str]]]:
        binding = self._binding()
        submit = self._submit
        return lambda: submit(**binding)

    def _binding(self) -> dict[str, Any]:
        """What the service is asked to add, from the form; ValidationError for what the
        presets and the claims' and lifetime's rules refuse."""
        text = {key: field.text().strip() for key, field in self._fields.items()}
        lifetime: timedelta = bindings.parse_lifetime(text["lifetime"] or "15m")
        kind = self.kind()
        name: str | None = None
        if kind == GENERIC:
            issuer = text["issuer"]
            lines = self._claims.toPlainText().splitlines()
            claims = [bindings.parse_claim(line) for line in lines if line.strip()]
            environments = [e.strip() for e in text["environments"].split(",") if e.strip()]
        else:
            environment = text[f"{kind}Environment"] or None
            if kind == GITHUB:
                issuer, preset, name = bindings.github_preset(
                    text["repository"], text["repositoryId"], text["ownerId"], environment
                )
            else:
                issuer, preset, name = bindings.gitlab_preset(
                    text["gitlabUrl"], text["gitlabProjectId"], self._protected.isChecked(),
                    environment,
                )  # fmt: skip
            claims = list(preset.items())
            environments = [environment] if environment else []
        return {
            "issuer": issuer,
            "audience": text["audience"],
            "claims": claims,
            "environments": environments,
            "lifetime": lifetime,
            "name": name,
        }

    def _added(self, answer: object) -> None:
        record, warnings = cast("tuple[DeployerRecord, list[str]]", answer)
        self.added.emit(record, warnings)

    # Following the form

    def _required(self) -> tuple[str, ...]:
        kind = self.kind()
        if kind == GITHUB:
            return ("repository", "repositoryId", "ownerId", "audience")
        if kind == GITLAB:
            return ("gitlabUrl", "gitlabProjectId", "audience")
        return ("issuer", "audience")

    def _complete(self) -> bool:
        filled = all(self._fields[key].text().strip() for key in self._required())
        if self.kind() == GENERIC:
            filled = filled and bool(self._claims.toPlainText().strip())
        return filled

    def _kind_chosen(self, *_: object) -> None:
        kind = self.kind()
        self._forms.setCurrentIndex(KINDS.index(kind))
        self._meaning.setText(_tr(MEANINGS[kind]))
        self._kind.setAccessibleDescription(_tr(MEANINGS[kind]))
        self._show_problem("")
        self._edited()


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("AddDeployerDialog", source)
