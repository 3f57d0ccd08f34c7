"""The walks of tests/ui/test_translations.py through the newer panes, one function each,
and what a walk leaves out of the texts it checks (the service's own English words)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtWidgets import QApplication, QWidget

from app.oidc import bindings
from app.service import TokenService
from ui.dialogs import messages
from ui.pages.project import ProjectPage


class Walking(Protocol):
    def walk(self, widget: QWidget | None, said: Sequence[str] = ()) -> None: ...


def without(text: str, said: Sequence[str]) -> str:
    """``text`` with each of ``said`` (as it is, or as a sentence) cut out."""
    variants = {v for words in said for v in (words, messages.sentence(words), words.capitalize())}
    for words in sorted(variants, key=len, reverse=True):
        text = text.replace(words, "…")
    return text


def walk_deployers(page: ProjectPage, project: str, service: TokenService, left: Walking) -> None:
    """Trusted deployers: a GitHub binding, Add… of each kind with a problem said in it,
    a weak binding added (its warnings, its banner), and Remove…'s question."""
    issuer, claims, name = bindings.github_preset(f"acme/{project}", "123", "9", "live")
    service.add_deployer(
        project,
        issuer=issuer,
        audience=f"deploy.{project}.example",
        claims=list(claims.items()),
        environments=["live"],
        name=name,
    )
    page.show_section("Trusted deployers")
    pane = page.deployers_pane()
    left.walk(page.window())
    dialog = pane.add()
    for kind in ("github", "gitlab", "generic"):
        dialog.choose_kind(kind)
        left.walk(dialog)
    dialog.field("issuer").setText(f"http://{project}.example.com")
    dialog.field("audience").setText(f"deploy.{project}.example")
    dialog.claims_field().setPlainText(f"repository=acme/{project}")
    dialog.accept()
    refused = dialog.problem()
    assert refused != ""
    left.walk(dialog, said=[refused])
    dialog.field("issuer").setText(f"https://{project}.example.com")
    dialog.accept()
    box = QApplication.activeModalWidget()
    assert box is not None
    assert box.objectName() == "weakDeployerBox"
    warnings = bindings.weaknesses({"repository": f"acme/{project}"})
    left.walk(box, said=warnings)
    box.close()
    left.walk(page.window(), said=[*warnings, "; ".join(warnings)])
    pane.table().selectRow(0)
    pane.request_remove()
    left.walk(QApplication.activeModalWidget())
    QApplication.activeModalWidget().close()
