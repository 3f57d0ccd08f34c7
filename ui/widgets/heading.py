"""The heading style of pages and panes, one place for its size and weight."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

PAGE_TITLE_SCALE = 1.4
PROJECT_HEADING_SCALE = 1.2


class ElidedHeading(QLabel):
    """A one-line heading that never widens the window: a name longer than the space is
    cut in the middle with "…", and shown whole in the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        # Any width will do: the text is cut to fit, never the window stretched to it.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:
        return QSize(1, super().minimumSizeHint().height())

    def shown_text(self) -> str:
        """What fits: the text, or its ends with "…" between them."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, max(self.contentsRect().width(), 1)
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            self.contentsRect(),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.shown_text(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")


def heading(text: str, object_name: str, scale: float = PAGE_TITLE_SCALE) -> ElidedHeading:
    """A bold title, larger than body text by ``scale`` so it follows the user's font size;
    cut in the middle when it does not fit (see ElidedHeading)."""
    label = ElidedHeading(text)
    label.setObjectName(object_name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label
