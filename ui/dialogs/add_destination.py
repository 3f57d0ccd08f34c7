"""Destinations > Add destination…: where the project's tokens can be pushed (an
OpenBao/Vault KV secret, a GitHub Actions secret, a GitLab CI/CD variable) and the name
pushes go by. Each kind says which environment variable holds its credential and the
least privilege that credential needs. The dialog adds the destination off the GUI
thread and stays open, saying why under the form, when the service refuses it."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.destinations import github_target, gitlab_target, vault_target
from app.records import DestinationRecord
from ui.background import Connections
from ui.dialogs.add_record import LABEL_WIDTH, AddRecordDialog, form_grid
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TYPE_CHECKING = False
if TYPE_CHECKING:
    from app.destinations.targets import Target

TITLE = QT_TRANSLATE_NOOP("AddDestinationDialog", "Add destination")
VAULT = "vault"
GITHUB = "github"
GITLAB = "gitlab"
KINDS = (VAULT, GITHUB, GITLAB)
KIND_NAMES = {
    VAULT: QT_TRANSLATE_NOOP("AddDestinationDialog", "OpenBao/Vault"),
    GITHUB: QT_TRANSLATE_NOOP("AddDestinationDialog", "GitHub Actions secret"),
    GITLAB: QT_TRANSLATE_NOOP("AddDestinationDialog", "GitLab CI/CD variable"),
}
# Where each kind's credential comes from, and the least it needs to be allowed.
NOTES = {
    VAULT: QT_TRANSLATE_NOOP(
        "AddDestinationDialog",
        "Reads its credential from VAULT_TOKEN (or BAO_TOKEN). Least privilege: a policy "
        "with create, read and update on this secret's data/ and metadata/ paths, and "
        "nothing else. KV version 2, written with check-and-set.",
    ),
    GITHUB: QT_TRANSLATE_NOOP(
        "AddDestinationDialog",
        "Reads its credential from GITHUB_TOKEN (or GH_TOKEN). Least privilege: a "
        "fine-grained token for this one repository with “Secrets: write” (and "
        "“Environments: write” for an environment's secret).",
    ),
    GITLAB: QT_TRANSLATE_NOOP(
        "AddDestinationDialog",
        "Reads its credential from GITLAB_TOKEN. Least privilege: a project access token "
        "of this project with the api scope and the Maintainer role.",
    ),
}

Submit = Callable[[str, "Target"], DestinationRecord]


class AddDestinationDialog(AddRecordDialog):
    """Asks for a destination, adds it through ``submit(name, target)``, and says
    ``added(record)``."""

    added = Signal(object)

    def __init__(
        self,
        project: str,
        submit: Submit,
        connections: Connections,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "addDestinationDialog",
            _tr(TITLE),
            connections,
            parent,
            problem_name="destinationProblem",
        )
        self._submit = submit
        intro = QLabel(
            arg(
                self.tr(
                    "A place %1's tokens are pushed to, so they never pass through the "
                    "clipboard. Only where is stored: the credential is read from this "
                    "app's environment at each push."
                ),
                project,
            )
        )
        intro.setWordWrap(True)
        self._fields: dict[str, QLineEdit] = {}
        self._fill_kind_choice(
            "destinationKindChoice", [(kind, _tr(KIND_NAMES[kind])) for kind in KINDS]
        )
        self._note = QLabel()
        self._note.setObjectName("kindNote")
        self._note.setWordWrap(True)
        self._forms = QStackedWidget()
        forms = (self._vault_form(), self._github_form(), self._gitlab_form())
        for form in forms:
            self._forms.addWidget(form)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        top = self._top()
        layout.addLayout(top)
        layout.addWidget(self._forms)
        _align_labels([top, *(form.layout() for form in forms)])
        layout.addWidget(self._problem)
        layout.addStretch(1)
        layout.addWidget(self._button_box)
        self.setMinimumWidth(560)
        self._kind_chosen()
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab follows the reading order (the widgets were made in another): the name, the
        kind, the shown form's fields, Add, Cancel. Hidden forms' fields are skipped."""
        name = self._fields["name"]
        fields = [field for field in self._fields.values() if field is not name]
        chain = [name, self._kind, *fields, self._add, self._cancel]
        for before, after in itertools.pairwise(chain):
            self.setTabOrder(before, after)
        name.setFocus()

    # Building

    def _top(self) -> QGridLayout:
        name = self._field(
            "name",
            self.tr("Name"),
            self.tr("such as bao or github-prod"),
            self.tr("What Send to, Rotate and tokens generate --push call it."),
        )
        rows = ((self.tr("&Name:"), name), (self.tr("&Kind:"), self._kind))
        grid = form_grid()
        for row, (text, widget) in enumerate(rows):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
        grid.addWidget(self._note, 2, 1)
        return grid

    def _field(self, key: str, label: str, placeholder: str = "", hint: str = "") -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(f"{key}Field")
        field.setAccessibleName(label)
        field.setPlaceholderText(placeholder)
        field.setToolTip(hint)
        field.setAccessibleDescription(hint or placeholder)
        field.setMaxLength(2000)
        field.textChanged.connect(self._typed)
        self._fields[key] = field
        return field

    def _form(self, rows: Sequence[tuple[str, QLineEdit]]) -> QWidget:
        page = QWidget()
        grid = form_grid(page)
        for row, (text, field) in enumerate(rows):
            label = QLabel(text)
            label.setBuddy(field)
            grid.addWidget(label, row, 0)
            grid.addWidget(field, row, 1)
        # The forms share the height of the longest: the shorter ones keep their rows
        # together at the top.
        grid.setRowStretch(len(rows), 1)
        return page

    def _vault_form(self) -> QWidget:
        url = self._field("vaultUrl", self.tr("URL"), self.tr("such as https://bao.example.com"))
        path = self._field(
            "vaultPath",
            self.tr("Secret path"),
            self.tr("MOUNT/PATH, such as secret/ci/web"),
            self.tr("The KV version 2 mount, then the secret's path in it."),
        )
        field = self._field(
            "vaultField",
            self.tr("Field"),
            self.tr("optional: token"),
            self.tr("The key in the secret that holds the token."),
        )
        return self._form(
            [(self.tr("&URL:"), url), (self.tr("Secret &path:"), path), (self.tr("&Field:"), field)]
        )

    def _github_form(self) -> QWidget:
        repository = self._field(
            "githubRepository", self.tr("Repository"), self.tr("OWNER/REPO, such as acme/web")
        )
        secret = self._field(
            "githubSecret", self.tr("Secret name"), self.tr("such as DEPLOY_TOKEN")
        )
        environment = self._field(
            "githubEnvironment",
            self.tr("Environment"),
            self.tr("optional, such as production"),
            self.tr("A secret of this GitHub environment rather than of the repository."),
        )
        return self._form(
            [
                (self.tr("&Repository:"), repository),
                (self.tr("&Secret name:"), secret),
                (self.tr("&Environment:"), environment),
            ]
        )

    def _gitlab_form(self) -> QWidget:
        url = self._field(
            "gitlabUrl", self.tr("Instance URL"), self.tr("such as https://gitlab.com")
        )
        project_id = self._field(
            "gitlabProject", self.tr("Project id"), self.tr("such as 42, or group/project")
        )
        variable = self._field(
            "gitlabVariable", self.tr("Variable key"), self.tr("such as DEPLOY_TOKEN")
        )
        scope = self._field(
            "gitlabScope",
            self.tr("Environment scope"),
            self.tr("optional: * (every environment)"),
        )
        return self._form(
            [
                (self.tr("&Instance URL:"), url),
                (self.tr("Project &id:"), project_id),
                (self.tr("&Variable key:"), variable),
                (self.tr("Environment &scope:"), scope),
            ]
        )

    # What tests and the pane reach for

    def field(self, key: str) -> QLineEdit:
        """A line of the form: name, vaultUrl, vaultPath, vaultField, githubRepository,
        githubSecret, githubEnvironment, gitlabUrl, gitlabProject, gitlabVariable,
        gitlabScope."""
        return self._fields[key]

    def note(self) -> str:
        return self._note.text()

    # Adding

    def _write(self) -> Callable[[], DestinationRecord]:
        target = self._target()
        name = self._fields["name"].text().strip()
        submit = self._submit
        return lambda: submit(name, target)

    def _target(self) -> Target:
        """Where, from the form; ValidationError (a clear sentence) for what is wrong."""
        text = {key: field.text().strip() for key, field in self._fields.items()}
        kind = self.kind()
        if kind == VAULT:
            return vault_target(text["vaultUrl"], text["vaultPath"], text["vaultField"] or None)
        if kind == GITHUB:
            return github_target(
                text["githubRepository"], text["githubSecret"], text["githubEnvironment"] or None
            )
        return gitlab_target(
            text["gitlabUrl"],
            text["gitlabProject"],
            text["gitlabVariable"],
            text["gitlabScope"] or None,
        )

    def _added(self, answer: object) -> None:
        self.added.emit(answer)

    # Following the form

    def _required(self) -> tuple[str, ...]:
        kind = self.kind()
        if kind == VAULT:
            return ("name", "vaultUrl", "vaultPath")
        if kind == GITHUB:
            return ("name", "githubRepository", "githubSecret")
        return ("name", "gitlabUrl", "gitlabProject", "gitlabVariable")

    def _complete(self) -> bool:
        return all(self._fields[key].text().strip() for key in self._required())

    def _kind_chosen(self, *_: object) -> None:
        kind = self.kind()
        self._forms.setCurrentIndex(KINDS.index(kind))
        self._note.setText(_tr(NOTES[kind]))
        self._kind.setAccessibleDescription(_tr(NOTES[kind]))
        self._show_problem("")
        self._edited()


def _align_labels(grids: Sequence[object]) -> None:
    """One label column for the grids stacked in the dialog: the widest label's (German
    labels differ in length from form to form), so the fields line up under Name."""
    found = [grid for grid in grids if isinstance(grid, QGridLayout)]
    labels = [grid.itemAtPosition(row, 0) for grid in found for row in range(grid.rowCount())]
    widths = [
        widget.sizeHint().width()
        for item in labels
        if item is not None and (widget := item.widget()) is not None
    ]
    for grid in found:
        grid.setColumnMinimumWidth(0, max([LABEL_WIDTH, *widths]))


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("AddDestinationDialog", source)
