"""The token table's columns: which are shown (the user's choice, the same at any width
and row count, remembered in the settings), how wide each is, and the menu that chooses
them (the header's context menu, and Columns in the table's)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QMenu, QTableView, QWidget

from ui.models.token_cells import EXPIRED_TEXT
from ui.models.tokens import HEADERS, Column, TokenTableModel
from ui.relative_time import left, relative
from ui.resources import QT_TRANSLATE_NOOP
from ui.translated import arg

# The columns a user may hide or show (the header's context menu). Name, Token and
# Actions stay: the spec's path is "locate the token preview, click the trash icon".
HIDEABLE = (
    Column.CREATED,
    Column.LAST_USED,
    Column.EXPIRES,
    Column.EXPIRES_ON,
    Column.ENVIRONMENTS,
    Column.CREATED_BY,
)
# Shown until the user says otherwise.
SHOWN_BY_DEFAULT = frozenset(HIDEABLE) - {Column.EXPIRES_ON, Column.ENVIRONMENTS}
# QSettings key: the hideable columns shown, by name ("created,last_used,…"). Layout
# only, never a token.
COLUMNS_KEY = "tokenTable/shownColumns"
COLUMNS = QT_TRANSLATE_NOOP("TokenColumns", "Columns")
# The least a squeezed column keeps, in average characters beyond its header's text;
# Name keeps this many characters (it is cut in the middle, its tooltip has it whole).
_NAME_LEAST_CHARACTERS = 18


class TokenColumns(QObject):
    """The columns of ``view``, a table of a TokenTableModel.

    Each column is as wide as its usual text when there is room (or as the user dragged
    it), Name takes the rest; a narrow window squeezes the others toward their headers,
    then the table scrolls. ``shown_changed`` follows showing or hiding a column, so
    that the view can place its row buttons again.
    """

    shown_changed = Signal()

    def __init__(self, view: QTableView) -> None:
        super().__init__(view)
        self._view = view
        self._settings: QSettings | None = None
        self._shown = set(SHOWN_BY_DEFAULT)
        # Each column's width when there is room (measured in configure), the least fit
        # squeezes it to, and the widths the user dragged.
        self._natural: dict[int, int] = {}
        self._least: dict[int, int] = {}
        self._dragged: dict[int, int] = {}
        self._fitting = False
        header = view.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(
            lambda where: self.menu().popup(header.mapToGlobal(where))
        )
        header.sectionResized.connect(self._section_resized)

    def set_settings(self, settings: QSettings | None) -> None:
        """Remember the column choices in ``settings`` (none: for this session only),
        and show the ones remembered there."""
        self._settings = settings
        self._shown = set(SHOWN_BY_DEFAULT)
        saved = None if settings is None else settings.value(COLUMNS_KEY)
        if isinstance(saved, str | list):
            names = saved.split(",") if isinstance(saved, str) else [str(n) for n in saved]
            by_name = {column.name.lower(): column for column in HIDEABLE}
            self._shown = {by_name[name] for name in names if name in by_name}
        self.show_chosen()

    def menu(self, parent: QWidget | None = None) -> QMenu:
        """A checkable entry per column; Name, Token and Actions are always shown. Its
        own popup (no ``parent``) deletes itself once closed."""
        menu = QMenu(self.tr(COLUMNS), parent or self._view)
        menu.setObjectName("columnMenu")
        if parent is None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)
        for column in Column:
            action = QAction(_tr(HEADERS[column]), menu)
            action.setCheckable(True)
            action.setChecked(column not in HIDEABLE or column in self._shown)
            if column not in HIDEABLE:
                action.setEnabled(False)
                action.setToolTip(self.tr("Always shown: tokens are found and deleted by it"))
            else:
                action.toggled.connect(lambda on, c=column: self.show_column(c, on))
            menu.addAction(action)
        return menu

    def show_column(self, column: Column, shown: bool) -> None:
        """Show or hide one of the ``HIDEABLE`` columns, and remember it."""
        if column not in HIDEABLE:
            return
        if shown:
            self._shown.add(column)
        else:
            self._shown.discard(column)
        if self._settings is not None:
            names = [c.name.lower() for c in HIDEABLE if c in self._shown]
            self._settings.setValue(COLUMNS_KEY, ",".join(names))
        self.show_chosen()

    def show_chosen(self) -> None:
        """Show the columns chosen, hide the others, and fit them to the view."""
        if not isinstance(self._view.model(), TokenTableModel):
            return
        for column in HIDEABLE:
            self._view.setColumnHidden(column, column not in self._shown)
        self.fit()
        self.shown_changed.emit()

    def fit(self) -> None:
        """Give the shown columns their widths: each its natural one (or the one the
        user dragged) when there is room, Name the rest; in a narrow window the others
        are squeezed toward their least (their text cut, whole in the tooltip), then the
        table scrolls. Which columns show never depends on the width or the row count:
        the room is reckoned as if the vertical scroll bar were always there."""
        view = self._view
        if not isinstance(view.model(), TokenTableModel) or not self._natural:
            return
        room = view.width() - 2 * view.frameWidth() - view.verticalScrollBar().sizeHint().width()
        shown = [c for c in Column if c != Column.NAME and not view.isColumnHidden(c)]
        wanted = {c: self._dragged.get(c, self._natural[c]) for c in shown}
        least = {c: min(wanted[c], self._least.get(c, wanted[c])) for c in shown}
        excess = self._least[Column.NAME] + sum(wanted.values()) - room
        give = sum(wanted[c] - least[c] for c in shown)
        share = 0.0 if excess <= 0 or give <= 0 else min(1.0, excess / give)
        self._fitting = True
        try:
            for column in shown:
                width = wanted[column] - round((wanted[column] - least[column]) * share)
                if view.columnWidth(column) != width:
                    view.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def configure(self) -> None:
        """Set how each column resizes and measure its widths, in the view's font and
        the user's language (the view has just been given its model)."""
        view = self._view
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        # Names that share a long beginning ("GitLab CI deploy job for tenant …") differ
        # at the end: cut them in the middle, and the whole name is in the tooltip.
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Stretch)
        for column in Column:
            if column not in (Column.NAME, Column.ACTIONS):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.ACTIONS, QHeaderView.ResizeMode.Fixed)
        # Each column as wide as its longest usual text and a little air; Name takes the
        # rest. A narrow window squeezes them toward their headers (fit).
        metrics = view.fontMetrics()
        air = 2 * metrics.averageCharWidth() + 4
        self._measure_natural_widths(metrics, air)
        self._measure_least_widths(metrics, air)
        for section, width in self._natural.items():
            view.setColumnWidth(section, self._dragged.get(section, width))
        name = _tr(HEADERS[Column.NAME])
        header.setMinimumSectionSize(metrics.horizontalAdvance(name) + air)

    def _measure_natural_widths(self, metrics: QFontMetrics, air: int) -> None:
        """Each column's width when there is room: its longest usual text, in the
        user's language, or its header if that is wider."""
        preview = QFontMetrics(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        natural = self._natural
        natural[Column.TOKEN] = preview.horizontalAdvance("mldt_…WWWW") + air
        # The usual longest texts, in the user's language: "11 months ago", "Retiring,
        # 23 hours left".
        now = datetime.now(UTC)
        long_ago = relative(now - timedelta(days=330), now)
        retiring = arg(
            QCoreApplication.translate("TokenTableModel", "Retiring, %1 left"),
            left(now + timedelta(hours=23), now),
        )
        for column in (Column.CREATED, Column.LAST_USED):
            natural[column] = (
                max(metrics.horizontalAdvance(long_ago), self._header_width(column)) + air
            )
        # The warning icon sits before the text of the tokens that need attention.
        natural[Column.EXPIRES] = metrics.horizontalAdvance(retiring) + 20 + air
        # A date as the user's locale writes it short, the longest of the year's.
        day = QLocale().toString(QDate(2026, 12, 30), QLocale.FormatType.ShortFormat)
        natural[Column.EXPIRES_ON] = (
            max(metrics.horizontalAdvance(day), self._header_width(Column.EXPIRES_ON)) + air
        )
        natural[Column.ENVIRONMENTS] = (
            max(
                metrics.horizontalAdvance("production, staging"),
                self._header_width(Column.ENVIRONMENTS),
            )
            + air
        )
        natural[Column.CREATED_BY] = (
            max(metrics.horizontalAdvance("release-bot"), self._header_width(Column.CREATED_BY))
            + air
        )
        natural[Column.ACTIONS] = max(self._header_width(Column.ACTIONS) - 12 + air, 60)

    def _measure_least_widths(self, metrics: QFontMetrics, air: int) -> None:
        """Squeezed, a column keeps its header readable, and Expires its icon and
        "Expired"; Token and Actions are never cut."""
        for column in Column:
            self._least[column] = (
                self._natural[column]
                if column in (Column.TOKEN, Column.ACTIONS)
                else self._header_width(column) + air
            )
        self._least[Column.EXPIRES] = max(
            self._least[Column.EXPIRES],
            metrics.horizontalAdvance(_tr(EXPIRED_TEXT)) + 20 + air,
        )
        self._least[Column.NAME] = _NAME_LEAST_CHARACTERS * metrics.averageCharWidth()

    def _header_width(self, column: Column) -> int:
        """A header's text and its sort arrow."""
        return self._view.fontMetrics().horizontalAdvance(_tr(HEADERS[column])) + 12

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if not self._fitting and column != Column.NAME and new > 0:
            self._dragged[column] = new  # the user's width, kept as the window resizes


def _tr(source: str) -> str:
    """A text the token model marked for lupdate, in the user's language."""
    return QCoreApplication.translate("TokenTableModel", source)
