"""What a token's row says and how it looks: the status the table shows, the Expires,
Expires on and Environments texts, why a token cannot be rotated, and the status icons
and the expired rows' grey, in colours readable on light and dark tables.

The texts are translated in the context of the model that shows them, TokenTableModel,
as are its headers: one context for everything the table says.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from PySide6.QtCore import QByteArray, QCoreApplication, QDateTime, QLocale
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap

from app import lifecycle
from app.records import TokenRecord
from ui import resources
from ui.relative_time import ahead, left, local_date_time, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg, no_expiry
from ui.widgets.hint import MIN_CONTRAST, contrast_ratio

# English, as tests find it; shown in the user's language (_tr).
EXPIRED_TEXT = QT_TRANSLATE_NOOP("TokenTableModel", "Expired")
# Statuses that want the user's attention, each marked with its own icon as well as its
# own words: a shape (not colour alone) and a colour readable on light and dark tables,
# the first of each pair for a light table and the second for a dark one.
_STATUS_ICONS = {
    lifecycle.EXPIRING: ("warning", ("#b45309", "#fbbf24")),  # amber: act soon
    lifecycle.RETIRING: ("hourglass", ("#1d4ed8", "#7cb4ff")),  # blue: a planned change
    lifecycle.EXPIRED: ("expired", ("#b91c1c", "#ff8a8a")),  # red: no longer works
}
# An expiring token is flagged only in the last quarter of its life as well as in its
# last 7 days: one made for 7 days on purpose is not "expiring" the moment it is made.
_FLAGGED_SHARE_OF_LIFE = 4
_ICON_SIZES = (16, 20, 24, 32, 48)


def shown_status(record: TokenRecord, now: datetime) -> str:
    """The status the table shows: the lifecycle's (``tokens list`` prints that one),
    except that ``expiring`` waits for the last quarter of the token's life.

    A token made for 7 days (a choice beside Generate) or 3 days is within the
    lifecycle's 7-day window from birth; flagged then, the flag would only say what its
    maker chose a minute ago, and flags that are always on get ignored. From the last
    quarter of its life on (the last 42 hours of a 7-day token; the whole last week of
    any token of 28 days or more), it is flagged like any other.
    """
    status = record.status(now)
    if status == lifecycle.EXPIRING and record.expires_at is not None:
        life = record.expires_at - record.created_at
        if record.expires_at - now > life / _FLAGGED_SHARE_OF_LIFE:
            return lifecycle.ACTIVE
    return status


def rotation_refusal(
    record: TokenRecord, now: datetime, successor: TokenRecord | None = None
) -> str | None:
    """Why ``record`` cannot be rotated at ``now``, as a sentence for a tooltip or the
    Rotate dialog, or None when it can. Tokens are named by name and preview: ids are
    shown nowhere in the app.

    A rotated token in its grace period already has a successor (the service refuses a
    second rotation); an expired one has nothing left to hand over.
    """
    if record.replaced_by is not None:
        if successor is not None:
            return arg(
                QCoreApplication.translate(
                    "TokenTableModel", "Already rotated: “%1” (%2) replaces it."
                ),
                successor.name,
                successor.preview,
            )
        return QCoreApplication.translate(
            "TokenTableModel", "Already rotated: a newer token replaces it."
        )
    if record.expires_at is not None and record.expires_at <= now:
        return QCoreApplication.translate(
            "TokenTableModel", "Expired: generate a new token instead."
        )
    return None


def expiry_detail(record: TokenRecord, now: datetime) -> str:
    """The Expires cell's tooltip and accessible text: the moment in the user's locale
    and time zone, with what the cell says of it."""
    if record.expires_at is None:
        return QCoreApplication.translate("TokenTableModel", "This token never expires")
    moment = local_date_time(record.expires_at)
    status = shown_status(record, now)
    if status == lifecycle.EXPIRED:
        return arg(
            QCoreApplication.translate("TokenTableModel", "Expired %1 (%2)"),
            moment,
            relative(record.expires_at, now),
        )
    until = ahead(record.expires_at, now)
    if status == lifecycle.RETIRING:
        said = QCoreApplication.translate(
            "TokenTableModel", "Retiring after a rotation: stops working %1 (%2)"
        )
        return arg(said, moment, until)
    if status == lifecycle.EXPIRING:
        return arg(
            QCoreApplication.translate("TokenTableModel", "Expires soon: %1 (%2)"), moment, until
        )
    return arg(QCoreApplication.translate("TokenTableModel", "Expires %1 (%2)"), moment, until)


def status_colour(colours: tuple[str, str], palette: QPalette) -> QColor:
    """Of a status's two colours (for light and for dark tables), the one that stands
    out more against the table's background."""
    base = palette.color(QPalette.ColorRole.Base)
    return max((QColor(colour) for colour in colours), key=lambda c: contrast_ratio(c, base))


def quiet_text_colour(palette: QPalette) -> QColor:
    """The table's text colour blended toward its background, as far as WCAG AA
    allows on both the plain and the alternate rows: grey, yet readable (the
    palette's own disabled text is about 1.6:1 in the light Fusion palette)."""
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    backgrounds = (base, palette.color(QPalette.ColorRole.AlternateBase))
    for step in range(50, -1, -5):  # from halfway toward the background, back to the text
        share = step / 100
        blend = QColor.fromRgbF(
            text.redF() + (base.redF() - text.redF()) * share,
            text.greenF() + (base.greenF() - text.greenF()) * share,
            text.blueF() + (base.blueF() - text.blueF()) * share,
        )
        if all(contrast_ratio(blend, back) >= MIN_CONTRAST for back in backgrounds):
            return blend
    return text


def status_icon(status: str, palette: QPalette) -> QIcon | None:
    """The icon that marks a status needing attention (expiring, retiring, expired), in
    the one of its two colours that stands out on ``palette``'s table; None for the
    others."""
    if status not in _STATUS_ICONS:
        return None
    name, colours = _STATUS_ICONS[status]
    return _coloured_icon(name, status_colour(colours, palette).name())


@cache
def _coloured_icon(name: str, colour: str) -> QIcon:
    """The named line icon drawn in ``colour`` (a status's own, not the text's)."""
    svg = QByteArray(
        (resources.ICONS / f"{name}.svg")
        .read_text(encoding="utf-8")
        .replace("currentColor", colour)
        .encode()
    )
    icon = QIcon()
    for size in _ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(QColor(0, 0, 0, 0))
        if not pixmap.loadFromData(svg, "SVG"):
            raise FileNotFoundError(f"cannot render icon {name!r}")
        icon.addPixmap(pixmap.scaled(size, size))
    return icon


def expiry_text(record: TokenRecord, now: datetime) -> str:
    """The Expires cell: "No expiry", "in 3 months", "Expires in 2 days", "Retiring,
    5 hours left", "Expired". Words, not colour alone, say which need attention."""
    status = shown_status(record, now)
    if record.expires_at is None:
        return no_expiry()
    if status == lifecycle.EXPIRED:
        return _tr(EXPIRED_TEXT)
    if status == lifecycle.RETIRING:
        return arg(
            QCoreApplication.translate("TokenTableModel", "Retiring, %1 left"),
            left(record.expires_at, now),
        )
    until = ahead(record.expires_at, now)
    if status == lifecycle.EXPIRING:
        return arg(
            QCoreApplication.translate("TokenTableModel", "Expires %1", "expires in some time"),
            until,
        )
    return until


def expiry_date_text(record: TokenRecord) -> str:
    """The Expires on cell: the day the token stops working, in the user's locale and
    time zone ("12/1/26", "01.12.26"), or "No expiry"."""
    if record.expires_at is None:
        return no_expiry()
    shown = QDateTime.fromMSecsSinceEpoch(round(record.expires_at.timestamp() * 1000))
    return QLocale().toString(shown.toLocalTime().date(), QLocale.FormatType.ShortFormat)


def environments_text(record: TokenRecord) -> str:
    """The Environments cell: where the token may deploy, or "All"."""
    if record.environments:
        return ", ".join(record.environments)
    return QCoreApplication.translate("TokenTableModel", "All", "environments")


def _tr(source: str) -> str:
    """A text marked above for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
