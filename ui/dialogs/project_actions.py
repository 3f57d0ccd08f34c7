"""Renaming and deleting a project: the dialog and the confirmation, asked the same way
from the project's Settings pane and from the project list's context menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from app.errors import DeploymentTokensError
from app.records import ProjectRecord
from ui.dialogs import messages
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import TranslationContext, arg, counted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.service import TokenService
    from ui.background import WriteRunner

RENAME_PROJECT = QT_TRANSLATE_NOOP("ProjectActions", "Rename project…")
DELETE_PROJECT = QT_TRANSLATE_NOOP("ProjectActions", "Delete project…")


class ProjectActions(TranslationContext):
    """The context these texts are translated in."""


def rename_label() -> str:
    """The label of the action that renames a project, in the user's language."""
    return _tr(RENAME_PROJECT)


def delete_label() -> str:
    """The label of the action that deletes a project, in the user's language."""
    return _tr(DELETE_PROJECT)


def _tr(source: str) -> str:
    return QCoreApplication.translate("ProjectActions", source)


def ask_to_rename(
    parent: QWidget,
    service: TokenService,
    project: ProjectRecord,
    renamed: Callable[[ProjectRecord], None],
) -> QWidget | None:
    """Ask for the project's new name; ``renamed(record)`` once the dialog renamed it."""
    from ui.dialogs.new_project import RenameProjectDialog

    try:
        names = [p.name for p in service.list_projects()]
    except DeploymentTokensError as error:
        messages.show_error(
            parent,
            QCoreApplication.translate("ProjectActions", "Could not rename the project"),
            error,
        )
        return None
    dialog = RenameProjectDialog(
        project.name,
        names,
        lambda new_name: service.rename_project(project.name, new_name),
        service,
        parent,
    )
    dialog.project_renamed.connect(renamed)
    dialog.open()
    return dialog


def renamed_message(old: str, renamed: ProjectRecord) -> str:
    return arg(
        QCoreApplication.translate("ProjectActions", "Renamed project “%1” to “%2”."),
        old,
        renamed.name,
    )


def ask_to_delete(
    parent: QWidget,
    writes: WriteRunner,
    service: TokenService,
    project: ProjectRecord,
    live_tokens: int | None,
    deleted: Callable[[str], None],
) -> QWidget:
    """Ask, saying what happens to its ``live_tokens`` (None: not known), then delete
    the project through ``writes`` (the asking page's); ``deleted(status message)`` once
    it is gone."""

    def delete() -> None:
        writes.run(
            lambda: service.delete_project(project.name),
            lambda revoked: deleted(deleted_message(project, revoked)),
            lambda error: messages.show_error(
                parent,
                QCoreApplication.translate("ProjectActions", "Could not delete the project"),
                error,
            ),
        )

    return messages.confirm_destructive(
        parent,
        "confirmDeleteProjectBox",
        QCoreApplication.translate("ProjectActions", "Delete project"),
        arg(QCoreApplication.translate("ProjectActions", "Delete the project “%1”?"), project.name),
        _what_becomes_of_tokens(live_tokens)
        + " "
        + QCoreApplication.translate(
            "ProjectActions",
            "Its environments and token policy are deleted with it; its audit log "
            "stays in the audit trail, for export, but no longer shows here. "
            "This cannot be undone.",
        ),
        (QCoreApplication.translate("ProjectActions", "Delete project"), "deleteProjectButton"),
        delete,
    )


def _what_becomes_of_tokens(live_tokens: int | None) -> str:
    """What deleting a project does to its ``live_tokens`` (None: not known)."""
    if live_tokens:
        source = (
            "Its %n live deployment token(s) is revoked at once: every CI/CD pipeline or "
            "tool presenting one will be refused."
        )
        return counted(
            ProjectActions.tr(
                "Its %n live deployment token(s) is revoked at once: every CI/CD pipeline or "
                "tool presenting one will be refused.",
                "",
                live_tokens,
            ),
            live_tokens,
            source,
        )
    if live_tokens is None:
        return QCoreApplication.translate(
            "ProjectActions", "Its deployment tokens, if any, are revoked at once."
        )
    return QCoreApplication.translate("ProjectActions", "It has no live deployment tokens.")


def deleted_message(project: ProjectRecord, revoked: int) -> str:
    """The status bar's word once ``project`` is deleted, with the ``revoked`` tokens."""
    if revoked:
        source = "Deleted project “%1”; its %n token(s) is revoked."
        said = ProjectActions.tr("Deleted project “%1”; its %n token(s) is revoked.", "", revoked)
        return arg(counted(said, revoked, source), project.name)
    said = QCoreApplication.translate("ProjectActions", "Deleted project “%1”.")
    return arg(said, project.name)
