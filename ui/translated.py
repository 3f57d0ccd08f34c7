"""What the desktop app says in the user's language beyond its own widgets' labels: the
texts it takes from ``app`` (durations, No expiry), counted texts, and placeholders.

``app`` stays English (the command line's contract), so lupdate, which reads only
``ui/``, learns these texts here: each is marked with a ``QT_TRANSLATE_NOOP`` under the
context its table is translated in. Qt's catalogs live in ``resources/translations``
(see ``ui.resources.install_translations``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QObject

from app import lifecycle
from ui.resources import QT_TRANSLATE_NOOP

__all__ = ["TranslationContext", "arg", "counted", "duration", "no_expiry"]

_PLACEHOLDER = re.compile(r"%([1-9])")

# English plurals that "(s)" cannot make, for when no catalog is installed: the source
# text and its forms for one and for any other count, as deployment_tokens_en.ts has them
# (tests/ui/test_translations_catalogs.py holds the two to the same forms).
IRREGULAR_ENGLISH = {
    "%n of %1 match %2": ("%n of %1 matches %2", "%n of %1 match %2"),
    "At least %n of %1 match %2": ("At least %n of %1 match %2", "At least %n of %1 match %2"),
    "Its %n live deployment token(s) is revoked at once: every CI/CD pipeline or tool "
    "presenting one will be refused.": (
        "Its %n live deployment token is revoked at once: every CI/CD pipeline or tool "
        "presenting one will be refused.",
        "Its %n live deployment tokens are revoked at once: every CI/CD pipeline or tool "
        "presenting one will be refused.",
    ),
    "Deleted project “%1”; its %n token(s) is revoked.": (
        "Deleted project “%1”; its %n token is revoked.",
        "Deleted project “%1”; its %n tokens are revoked.",
    ),
    "Automation that uses it/them stops working at once. The audit log records it/them as "
    "leaked, with where it was/they were found. This cannot be undone.": (
        "Automation that uses it stops working at once. The audit log records it as "
        "leaked, with where it was found. This cannot be undone.",
        # (sic: "where them were found" is what the dialog has always said)
        "Automation that uses them stops working at once. The audit log records them as "
        "leaked, with where them were found. This cannot be undone.",
    ),
    "%n still work(s) and can be revoked.": (
        "%n still works and can be revoked.",
        "%n still work and can be revoked.",
    ),
    "Revoked %n token(s). The audit log records where it was/they were found.": (
        "Revoked %n token. The audit log records where it was found.",
        "Revoked %n tokens. The audit log records where they were found.",
    ),
}


def arg(text: str, *values: object) -> str:
    """``text`` with %1, %2… replaced by ``values`` in one pass, as QString.arg does (a
    value that itself holds "%2" stays as it is)."""
    return _PLACEHOLDER.sub(
        lambda found: (
            str(values[int(found.group(1)) - 1])
            if int(found.group(1)) <= len(values)
            else found.group()
        ),
        text,
    )


def counted(translated: str, count: int, source: str = "") -> str:
    """A plural text, as ``Context.tr(source, "", count)`` gave it. Without a catalog (no
    application yet, or a .qm missing) Qt gives the source back with the number in it,
    "1 token(s)": the English plural is made here then, so English reads right whether
    or not its catalog loaded."""
    forms = IRREGULAR_ENGLISH.get(source)
    if forms is not None and translated == source.replace("%n", str(count)):
        return forms[0 if count == 1 else 1].replace("%n", str(count))
    if "(s)" not in translated:
        return translated
    return translated.replace("(s)", "" if count == 1 else "s")


class TranslationContext(QObject):
    """A context texts are translated in, for modules of functions rather than widgets:
    a subclass's name is the context, and ``Subclass.tr(text, "", count)`` translates
    (lupdate reads plural forms only from tr calls, and takes the class for the context)."""

    @classmethod
    def tr(cls, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return QCoreApplication.translate(cls.__name__, source, disambiguation, n)


class Durations(TranslationContext):
    """The context durations are translated in."""


def _hours(count: int) -> str:
    return counted(Durations.tr("%n hour(s)", "", count), count)


def _days(count: int) -> str:
    return counted(Durations.tr("%n day(s)", "", count), count)


def _years(count: int) -> str:
    return counted(Durations.tr("%n year(s)", "", count), count)


def duration(length: timedelta) -> str:
    """A lifetime as the user's language says it, in the largest unit that divides it
    ("90 days", "1 year", "36 hours"), as ``app.durations.describe_duration`` does in
    English for the command line."""
    for unit, say in ((timedelta(days=365), _years), (timedelta(days=1), _days)):
        count, rest = divmod(length, unit)
        if not rest and count:
            return say(count)
    hours, rest = divmod(length, timedelta(hours=1))
    if not rest:
        return _hours(hours)
    return arg(
        QCoreApplication.translate("Durations", "%1 hours"),
        f"{length.total_seconds() / 3600:g}",
    )


# lifecycle.NO_EXPIRY, marked for lupdate (tests/ui/test_translations.py checks it is).
NO_EXPIRY_SOURCE = QT_TRANSLATE_NOOP("Lifecycle", "No expiry")


def no_expiry() -> str:
    """``lifecycle.NO_EXPIRY`` in the user's language."""
    return QCoreApplication.translate("Lifecycle", lifecycle.NO_EXPIRY)
