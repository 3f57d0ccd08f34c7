"""Members > Grant…: a login role's name (completed from the database's login roles) and
the level to give it on the project. The pane writes it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.access import ACCESS_LEVELS, VIEWER, level_meaning, level_name
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

TITLE = QT_TRANSLATE_NOOP("GrantAccessDialog", "Grant access")
GRANT = QT_TRANSLATE_NOOP("GrantAccessDialog", "Grant")
CANCEL = QT_TRANSLATE_NOOP("GrantAccessDialog", "Cancel")
# PostgreSQL's limit on a role's name.
ROLE_NAME_MAX_LENGTH = 63


class GrantAccessDialog(QDialog):
    """Asks which role, and which level; ``chosen(role, level)`` on Grant."""

    chosen = Signal(str, str)

    def __init__(self, project: str, roles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("grantAccessDialog")
        self.setWindowTitle(_tr(TITLE))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self._roles = set(roles)

        intro = QLabel(
            arg(
                self.tr(
                    "Give a PostgreSQL login role a level on %1. It replaces the level the "
                    "role holds there, and takes effect at once."
                ),
                project,
            )
        )
        intro.setWordWrap(True)
        self._role = self._role_field(roles)
        self._level = self._level_choice()
        self._meaning = QLabel()
        self._meaning.setObjectName("levelMeaning")
        self._meaning.setWordWrap(True)
        self._problem = QLabel()
        self._problem.setObjectName("roleNameProblem")
        self._problem.setWordWrap(True)
        self._problem.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._form())
        layout.addWidget(self._buttons())
        self._role.setMinimumWidth(280)
        self.setMinimumWidth(440)
        self._explain_level()
        self._role.setFocus()

    def _role_field(self, roles: list[str]) -> QLineEdit:
        """The role's name, completed from the login roles the database listed."""
        field = QLineEdit()
        field.setObjectName("roleNameField")
        field.setAccessibleName(self.tr("Role name"))
        field.setPlaceholderText(self.tr("a login role, as psql \\du lists it"))
        field.setMaxLength(ROLE_NAME_MAX_LENGTH)
        completer = QCompleter(sorted(roles), field)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        field.setCompleter(completer)
        field.textChanged.connect(self._validate)
        return field

    def _level_choice(self) -> QComboBox:
        """The levels, viewer first chosen, each with what it may do as its tooltip."""
        choice = QComboBox()
        choice.setObjectName("levelChoice")
        choice.setAccessibleName(self.tr("Level"))
        for level in ACCESS_LEVELS:
            choice.addItem(level_name(level), level)
            choice.setItemData(
                choice.count() - 1, level_meaning(level), Qt.ItemDataRole.ToolTipRole
            )
        choice.setCurrentIndex(ACCESS_LEVELS.index(VIEWER))
        choice.currentIndexChanged.connect(self._explain_level)
        return choice

    def _form(self) -> QFormLayout:
        """Role and level, each with its label, and what is wrong or meant under it."""
        role_label = QLabel(self.tr("&Role:"))
        role_label.setBuddy(self._role)
        level_label = QLabel(self.tr("&Level:"))
        level_label.setBuddy(self._level)
        form = QFormLayout()
        form.addRow(role_label, self._role)
        form.addRow("", self._problem)
        form.addRow(level_label, self._level)
        form.addRow("", self._meaning)
        return form

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox()
        self._grant = QPushButton(_tr(GRANT))
        self._grant.setObjectName("grantButton")
        self._grant.setDefault(True)
        self._grant.setEnabled(False)
        buttons.addButton(self._grant, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton(_tr(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancelButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def role_field(self) -> QLineEdit:
        return self._role

    def level_choice(self) -> QComboBox:
        return self._level

    def grant_button(self) -> QPushButton:
        return self._grant

    def problem(self) -> str:
        return self._problem.text() if self._problem.isVisibleTo(self) else ""

    def choose_level(self, level: str) -> None:
        self._level.setCurrentIndex(ACCESS_LEVELS.index(level))

    def accept(self) -> None:
        if not self._validate():
            return
        self.chosen.emit(self._role.text().strip(), str(self._level.currentData()))
        super().accept()

    def _validate(self, *_: object) -> bool:
        """Whether the name typed can be granted to: a login role the database has (when
        it listed them), said beside the field when not."""
        name = self._role.text().strip()
        known = not self._roles or name in self._roles
        problem = ""
        # Part of a name being typed is no mistake yet: said once nothing matches.
        if name and not known and not any(name.lower() in r.lower() for r in self._roles):
            problem = arg(self.tr("The database has no login role named “%1”."), name)
        self._problem.setText(problem)
        self._problem.setVisible(bool(problem))
        self._role.setAccessibleDescription(problem)
        fine = bool(name) and known
        self._grant.setEnabled(fine)
        return fine

    def _explain_level(self, *_: object) -> None:
        level = str(self._level.currentData())
        self._meaning.setText(level_meaning(level))


def _tr(source: str) -> str:
    return QCoreApplication.translate("GrantAccessDialog", source)
