"""The tokens filter box: searched in the database (the list loads a page at a time),
once typing pauses; and Hide exchanged tokens, remembered in the window's settings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from app import tokens
from ui.resources import QT_TRANSLATE_NOOP

FILTER_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "TokenFilter", "Filter by name, or the last 4 characters of a token"
)
FILTER_DELAY_MS = 250
# QSettings key: whether the tokens exchanged by trusted deployers are left out.
HIDE_EXCHANGED_KEY = "tokens/hideExchanged"


def filter_box(owner: QWidget, apply: Callable[[], None]) -> tuple[QLineEdit, QTimer]:
    """The box, and the timer that calls ``apply`` once typing pauses (Enter at once)."""
    box = QLineEdit()
    box.setObjectName("tokenFilter")
    box.setPlaceholderText(QCoreApplication.translate("TokenFilter", FILTER_PLACEHOLDER))
    box.setAccessibleName(QCoreApplication.translate("TokenFilter", "Filter tokens"))
    box.setClearButtonEnabled(True)
    delay = QTimer(owner)
    delay.setSingleShot(True)
    delay.setInterval(FILTER_DELAY_MS)
    delay.timeout.connect(apply)
    box.textChanged.connect(lambda _text: delay.start())
    box.returnPressed.connect(apply)
    return box, delay


def searched_text(box: QLineEdit) -> str:
    """What to search for: the box's text, or, when a whole token was pasted to find its
    row, the end of its preview (what the table shows of it), the secret taken out of the
    box at once."""
    text = box.text()
    if tokens.PREFIX in text and tokens.contains_token(text):
        from app import leaks

        [found, *_] = leaks.find_tokens([text])
        text = tokens.preview(found)[-tokens.PREVIEW_SUFFIX_LENGTH :]
        del found
        box.blockSignals(True)
        box.setText(text)
        box.blockSignals(False)
    return text


class HideExchangedCheck(QCheckBox):
    """ "Hide exchanged tokens": the tokens trusted deployers' exchanges issue live minutes
    and are a pipeline's, not a person's to manage; a busy project's list fills with them.
    Remembered in the window's settings (``remember_in``), like the table's columns."""

    def __init__(self, apply: Callable[[bool], None], parent: QWidget | None = None) -> None:
        super().__init__(
            QCoreApplication.translate("TokenFilter", "&Hide exchanged tokens"), parent
        )
        self.setObjectName("hideExchangedCheck")
        said = QCoreApplication.translate(
            "TokenFilter", "Leave out the short-lived tokens trusted deployers' CI jobs exchanged"
        )
        self.setToolTip(said)
        self.setAccessibleName(QCoreApplication.translate("TokenFilter", "Hide exchanged tokens"))
        self.setAccessibleDescription(said)
        self._settings: QSettings | None = None
        self._apply = apply
        self.toggled.connect(self._toggled)

    def remember_in(self, settings: QSettings | None) -> None:
        """Keep the choice in ``settings`` (none: this session only), and take the one
        kept there."""
        self._settings = settings
        if settings is not None:
            self.setChecked(str(settings.value(HIDE_EXCHANGED_KEY, "false")).lower() == "true")

    def _toggled(self, hide: bool) -> None:
        if self._settings is not None:
            self._settings.setValue(HIDE_EXCHANGED_KEY, hide)
        self._apply(hide)
