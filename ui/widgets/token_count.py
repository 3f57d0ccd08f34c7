"""The line under the tokens filter: "Showing 40 of 120 tokens", or with a filter
"3 of 120 match", the filter quoted, as GitHub and GitLab count their lists."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QLabel, QWidget

from ui.models.tokens import TokenTableModel
from ui.translated import TranslationContext, arg, counted

OPEN, CLOSE = "\u2018", "\u2019"  # single quotation marks around the filter


class TokenCountText(TranslationContext):
    """The context the count line's texts are translated in."""


def count_text(shown: int, total: int, search: str = "", *, more: bool = False) -> str:
    """What the count line says: ``shown`` rows loaded (``more`` when further pages
    of matches remain to be read) of the project's ``total`` live tokens."""
    if search:
        quoted = f"{OPEN}{search}{CLOSE}"
        if more:
            said = TokenCountText.tr("At least %n of %1 match %2", "", shown)
            return arg(counted(said, shown, "At least %n of %1 match %2"), total, quoted)
        said = TokenCountText.tr("%n of %1 match %2", "", shown)
        return arg(counted(said, shown, "%n of %1 match %2"), total, quoted)
    # The plural follows the total: "Showing 1 of 1 token", "Showing 40 of 120 tokens".
    said = TokenCountText.tr("Showing %1 of %n token(s)", "", total)
    return arg(counted(said, total), shown)


class TokenCount(QLabel):
    """Follows one model at a time; reads only what it already knows (no query)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenCount")
        self._model: TokenTableModel | None = None

    def watch(self, model: TokenTableModel) -> None:
        """Count ``model``'s rows from now on (the previous model is going away)."""
        self._model = model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.page_read):
            signal.connect(self.update_count)
        self.update_count()

    def update_count(self, *_changed: object) -> None:
        model = self._model
        total = None if model is None else model.total()
        if model is None or total is None or (total == 0 and not model.search):
            self.clear()  # nothing loaded yet, or the empty state says it already
            self.hide()
            return
        more = bool(model.search) and model.canFetchMore(QModelIndex())
        self.setText(count_text(model.rowCount(), total, model.search, more=more))
        self.show()
