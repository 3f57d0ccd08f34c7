"""Copying a secret the way password managers do, and taking it back afterwards."""

from __future__ import annotations

import os

from PySide6.QtCore import QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 60_000

# Klipper, GPaste, CopyQ and wl-clip-persist skip data carrying this hint.
KDE_PASSWORD_HINT = "x-kde-passwordManagerHint"
# Windows: keep the copy out of clipboard monitors, Win+V history and cloud sync. The
# history and cloud formats are read as a DWORD, 0 meaning "no"; Qt registers a
# clipboard format under each of these names.
WINDOWS_EXCLUDE_FROM_MONITORS = "ExcludeClipboardContentFromMonitorProcessing"
WINDOWS_HISTORY = "CanIncludeInClipboardHistory"
WINDOWS_CLOUD = "CanUploadToCloudClipboard"
# macOS: nspasteboard.org's marker for concealed data.
MAC_CONCEALED = "org.nspasteboard.ConcealedType"

_DWORD_ZERO = b"\0\0\0\0"


def secret_mime_data(secret: str) -> QMimeData:
    """The secret as plain text, marked as a secret for every platform's clipboard tools."""
    data = QMimeData()
    data.setText(secret)
    data.setData(KDE_PASSWORD_HINT, b"secret")
    data.setData(WINDOWS_EXCLUDE_FROM_MONITORS, _DWORD_ZERO)
    data.setData(WINDOWS_HISTORY, _DWORD_ZERO)
    data.setData(WINDOWS_CLOUD, _DWORD_ZERO)
    data.setData(MAC_CONCEALED, b"")
    return data


class SecretClipboard(QObject):
    """Puts a secret on the clipboard and clears it later if it is still there.

    It remembers a keyed fingerprint of what it copied, never the secret itself, so the
    plaintext does not outlive the dialog that showed it; and it clears the clipboard
    only while it still holds that secret, never something the user copied since.
    """

    copied = Signal()
    cleared = Signal()

    def __init__(
        self,
        clipboard: QClipboard | None = None,
        clear_after_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clipboard = clipboard or QGuiApplication.clipboard()
        # os.urandom is what secrets.token_bytes returns; secrets would import hmac, whose
        # OpenSSL start-up the first paint does not wait for (test_import_budget).
        self._key = os.urandom(32)
        self._fingerprint: bytes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CLEAR_AFTER_MS if clear_after_ms is None else clear_after_ms)
        self._timer.timeout.connect(self.clear_if_still_ours)

    @property
    def clear_after_ms(self) -> int:
        return self._timer.interval()

    def copy(self, secret: str) -> None:
        self._fingerprint = self._fingerprint_of(secret)
        self._clipboard.setMimeData(secret_mime_data(secret), QClipboard.Mode.Clipboard)
        self._timer.start()
        self.copied.emit()

    def holds_secret(self) -> bool:
        """Whether the clipboard still holds what this object copied."""
        if self._fingerprint is None:
            return False
        current = self._clipboard.text(QClipboard.Mode.Clipboard)
        import hmac  # on first use, after the first paint (test_import_budget)

        return hmac.compare_digest(self._fingerprint_of(current), self._fingerprint)

    def clear_if_still_ours(self) -> None:
        """Clear the clipboard if it still holds the secret; leave anything else alone."""
        self._timer.stop()
        if self.holds_secret():
            self._clipboard.clear(QClipboard.Mode.Clipboard)
            self.cleared.emit()
        self._fingerprint = None

    def _fingerprint_of(self, text: str) -> bytes:
        import hmac

        return hmac.new(self._key, text.encode("utf-8", "surrogatepass"), "sha256").digest()
