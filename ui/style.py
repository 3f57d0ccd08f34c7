"""The app's style: the desktop's own (Fusion on most Linux desktops), with radio buttons
and check boxes that can be seen in every palette.

Fusion outlines an indicator in the window colour made darker: about 1.2:1 against the
window in a dark palette (a dark GTK theme, dark mode), so an unchecked radio button (the
Rotate dialog's grace choices) or check box (the token policy) all but disappears.
WCAG 2.1 asks 3:1 of what a control needs to be seen (SC 1.4.11). Where Fusion's outline
falls short of that, a ring in a colour that meets it is drawn over Fusion's, worked out
from the palette of each paint, so a switch to dark mode while the app runs is followed.
Other styles (a user's ``-style``) draw their own indicators and are left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
)

from ui.widgets.hint import contrast_ratio

# WCAG 2.1 SC 1.4.11 (non-text contrast) asks 3:1; the margin covers antialiasing, which
# draws a one-pixel ring partly blended into what is around it.
MIN_INDICATOR_CONTRAST = 3.5
_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
)


def fusion_outline(palette: QPalette) -> QColor:
    """The colour Fusion outlines a radio button with (qfusionstyle.cpp)."""
    return palette.color(QPalette.ColorRole.Window).darker(150)


def indicator_outline(palette: QPalette) -> QColor | None:
    """The ring an indicator needs in ``palette`` (its current colour group) to stand out
    3:1 from the window around it and the base inside it; None when Fusion's own does."""
    window = palette.color(QPalette.ColorRole.Window)
    base = palette.color(QPalette.ColorRole.Base)
    own = fusion_outline(palette)

    def enough(colour: QColor) -> bool:
        return min(contrast_ratio(colour, window), contrast_ratio(colour, base)) >= (
            MIN_INDICATOR_CONTRAST
        )

    if enough(own):
        return None
    text = palette.color(QPalette.ColorRole.WindowText)
    # From Fusion's colour toward the text, only as far as needed: as quiet as allowed.
    for step in range(5, 101, 5):
        share = step / 100
        blend = QColor.fromRgbF(
            own.redF() + (text.redF() - own.redF()) * share,
            own.greenF() + (text.greenF() - own.greenF()) * share,
            own.blueF() + (text.blueF() - own.blueF()) * share,
        )
        if enough(blend):
            return blend
    return text


class IndicatorStyle(QProxyStyle):
    """Fusion, with an outline around radio buttons and check boxes that can be seen."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _INDICATORS:
            return
        state = option.state
        if state & QStyle.StateFlag.State_HasFocus and (
            state & QStyle.StateFlag.State_KeyboardFocusChange
        ):
            return  # Fusion draws the highlight colour's outline then: the focus shows.
        colour = indicator_outline(option.palette)
        if colour is None:
            return
        rect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QColor(0, 0, 0, 0))
        painter.setPen(QPen(colour, 1.0))
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            # Fusion's circle, where Fusion draws it.
            centre = QPointF(rect.center()) + QPointF(1, 1)
            radius = (rect.width() + (rect.width() + 1) % 2) / 2.0 - 1
            circle = QPainterPath()
            circle.addEllipse(centre, radius, radius)
            painter.drawPath(circle)
        else:
            painter.drawRect(QRectF(rect.adjusted(0, 0, -1, -1)).translated(0.5, 0.5))
        painter.restore()


def install_style(app: QApplication) -> None:
    """Give ``app`` the IndicatorStyle over Fusion, when Fusion is its style; once."""
    current = app.style()
    if isinstance(current, IndicatorStyle) or current.name().lower() != "fusion":
        return
    fusion = QStyleFactory.create("fusion")
    if fusion is None:
        return
    app.setStyle(IndicatorStyle(fusion))
