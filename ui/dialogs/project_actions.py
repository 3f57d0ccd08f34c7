"""Renaming and deleting a project: the dialog and the confirmation, asked the same way
from the project's Settings pane and from the project list's context menu."""

from __future__ import annotations

from collections.abc import Callable

from app.errors import DeploymentTokensError
from app.records import ProjectRecord
from ui.dialogs import messages

TYPE_CHECKING = False
if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from app.service import TokenService
    from ui.background import WriteRunner

RENAME_PROJECT = "Rename project…"
DELETE_PROJECT = "Delete project…"


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
        messages.show_error(parent, "Could not rename the project", error)
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
    return f"Renamed project “{old}” to “{renamed.name}”."


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
    if live_tokens:
        tokens = f"{live_tokens} live deployment token{'' if live_tokens == 1 else 's'}"
        consequence = (
            f"Its {tokens} {'is' if live_tokens == 1 else 'are'} revoked at once: every "
            "CI/CD pipeline or tool presenting one will be refused. "
        )
    elif live_tokens is None:
        consequence = "Its deployment tokens, if any, are revoked at once. "
    else:
        consequence = "It has no live deployment tokens. "

    def gone(revoked: int) -> None:
        tokens = f"; its {revoked} token{' is' if revoked == 1 else 's are'} revoked"
        deleted(f"Deleted project “{project.name}”" + (tokens if revoked else "") + ".")

    def delete() -> None:
        writes.run(
            lambda: service.delete_project(project.name),
            gone,
            lambda error: messages.show_error(parent, "Could not delete the project", error),
        )

    return messages.confirm_destructive(
        parent,
        "confirmDeleteProjectBox",
        "Delete project",
        f"Delete the project “{project.name}”?",
        consequence + "Its environments, token policy and audit log are deleted with "
        "it. This cannot be undone.",
        ("Delete project", "deleteProjectButton"),
        delete,
    )
