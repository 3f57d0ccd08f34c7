"""The token table model: Qt's own consistency checks, lazy loading, sorting, renaming."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QLocale, QModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from app.records import TokenRecord
from tests.support.data import filled
from tests.support.ui import dark_palette, open_tokens_pane
from ui.models.tokens import DELETE_TOKEN, Column, TokenTableModel, rotation_refusal
from ui.widgets.hint import contrast_ratio


def test_token_model_passes_qt_model_tests_empty_and_full(qtmodeltester, stepping_service):
    stepping_service.add_project("empty")
    qtmodeltester.check(TokenTableModel(stepping_service, "empty"), force_py=True)
    filled(stepping_service, 7)
    model = TokenTableModel(stepping_service, "web", page_size=3)
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)


def test_tokens_load_a_page_at_a_time_newest_first(stepping_service):
    filled(stepping_service, 7)
    model = TokenTableModel(stepping_service, "web", page_size=3)
    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 7
    assert not model.canFetchMore(QModelIndex())
    names = [model.index(row, Column.NAME).data() for row in range(7)]
    assert names == [f"token {index:02}" for index in reversed(range(7))]


def test_every_column_but_actions_sorts_and_keeps_every_token(stepping_service):
    filled(stepping_service, 5)
    model = TokenTableModel(stepping_service, "web", page_size=2)
    for column in (Column.NAME, Column.TOKEN, Column.CREATED, Column.LAST_USED, Column.CREATED_BY):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            while model.canFetchMore(QModelIndex()):
                model.fetchMore(QModelIndex())
            assert model.rowCount() == 5
    model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.index(r, 0).data() for r in range(5)] == [f"token {i:02}" for i in range(5)]
    before = [model.record(r).id for r in range(5)]
    model.sort(Column.ACTIONS, Qt.SortOrder.DescendingOrder)  # not a sort key: ignored
    assert [model.record(r).id for r in range(5)] == before


def test_times_are_relative_with_the_exact_time_as_tooltip(stepping_service):
    filled(stepping_service, 1)
    now = datetime(2026, 1, 4, 0, 1, tzinfo=UTC)
    model = TokenTableModel(stepping_service, "web", clock=lambda: now)
    model.fetchMore(QModelIndex())
    created = model.index(0, Column.CREATED)
    assert created.data() == "3 days ago"
    # The date as the user's locale writes it, in their time zone.
    local = model.record(0).created_at.astimezone()
    day = QDate(local.year, local.month, local.day)
    long_date = QLocale().toString(day, QLocale.FormatType.LongFormat)
    assert long_date in created.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, Column.LAST_USED).data() == "Never"
    actions = model.index(0, Column.ACTIONS)
    assert actions.data(Qt.ItemDataRole.ToolTipRole) == DELETE_TOKEN
    assert actions.data(Qt.ItemDataRole.AccessibleTextRole) == DELETE_TOKEN


def test_only_the_name_is_editable_and_an_edit_asks_for_the_rename(qtbot, stepping_service):
    filled(stepping_service, 1)
    model = TokenTableModel(stepping_service, "web")
    model.fetchMore(QModelIndex())
    editable = [
        column
        for column in Column
        if model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable
    ]
    assert editable == [Column.NAME]
    record = model.record(0)
    # The model only asks: the pane writes off the GUI thread, then shows the answer.
    with qtbot.waitSignal(model.rename_requested) as asked:
        assert model.setData(model.index(0, Column.NAME), "GitHub Actions")
    assert asked.args == [record.id, "GitHub Actions"]
    assert model.index(0, Column.NAME).data() == "token 00"
    with qtbot.assertNotEmitted(model.rename_requested):
        assert model.setData(model.index(0, Column.NAME), " token 00 ")  # unchanged
    model.replace(stepping_service.rename_token("web", record.id, "GitHub Actions"))
    assert model.index(0, Column.NAME).data() == "GitHub Actions"


def test_renaming_in_place_through_the_table(qtbot, window, web_project, service):
    service.generate("web", "old name")
    open_tokens_pane(qtbot, window, "web")
    table = window.project_page().tokens_pane().table()
    index = table.model().index(0, Column.NAME)
    table.setCurrentIndex(index)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(index) or table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "deploy-bot")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits through a queued call, and the pane writes off the GUI thread.
    qtbot.waitUntil(lambda: index.data() == "deploy-bot")
    assert service.list_tokens("web")[0].name == "deploy-bot"


def test_returning_none_from_data_does_not_leak_references_to_none(stepping_service):
    """PySide6 6.12.0 on Python 3.11 lost a reference to None per data() call returning
    None, and aborted after about 50,000 (DESIGN.md, Known traps)."""
    filled(stepping_service, 1)
    model = TokenTableModel(stepping_service, "web")
    model.fetchMore(QModelIndex())
    index = model.index(0, Column.ACTIONS)  # DisplayRole is None there
    assert index.data() is None
    before = sys.getrefcount(None)
    for _ in range(60_000):
        index.data()  # through C++, as a view calls it
    assert abs(sys.getrefcount(None) - before) < 1_000


def test_adding_a_token_a_refresh_already_showed_does_not_show_it_twice(stepping_service):
    filled(stepping_service, 2)
    model = TokenTableModel(stepping_service, "web")
    model.fetchMore(QModelIndex())
    record, _ = stepping_service.generate("web", "new")
    assert model.refresh()  # the periodic check saw the commit first
    model.add(record)  # then the Generate that made it reports back
    assert [model.record(row).id for row in range(model.rowCount())].count(record.id) == 1
    assert model.rowCount() == 3


# The lifecycle in the table: hand-made records at a fixed now, so each status is exact.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ICON = Qt.ItemDataRole.DecorationRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole


def made(
    token_id: int,
    name: str,
    *,
    ago: timedelta,
    lifetime: timedelta | None,
    replaced_by: int | None = None,
    left: timedelta | None = None,
) -> TokenRecord:
    """A token made ``ago`` before NOW to live ``lifetime`` (a rotated one: ``left`` of
    its grace)."""
    created = NOW - ago
    expires = None if lifetime is None else created + lifetime
    if left is not None:
        expires = NOW + left
    return TokenRecord(
        id=token_id,
        project="web",
        name=name,
        preview=f"mldt_…{name[:2]}{token_id:02}",
        created_at=created,
        created_by="release-bot",
        last_used_at=None,
        expires_at=expires,
        replaced_by=replaced_by,
    )


class Listed:
    """A token source that lists the given records, newest first, as the service would."""

    def __init__(self, *records: TokenRecord) -> None:
        self.records = sorted(records, key=lambda record: record.created_at, reverse=True)

    def token_page(self, project_name, *, offset=0, limit=100, **_order):
        return self.records[offset : offset + limit]

    def rename_token(self, project_name, token_id, name):
        raise AssertionError("not renamed here")


def table_of(*records: TokenRecord) -> TokenTableModel:
    model = TokenTableModel(Listed(*records), "web", clock=lambda: NOW)
    model.fetchMore(QModelIndex())
    return model


def cell(model: TokenTableModel, name: str, column: Column = Column.EXPIRES):
    [row] = [row for row in range(model.rowCount()) if model.record(row).name == name]
    return model.index(row, column)


def test_a_token_made_for_a_week_or_3_days_reads_so_and_is_not_flagged_at_birth():
    moment = timedelta(seconds=5)
    model = table_of(
        made(1, "week", ago=moment, lifetime=timedelta(days=7)),
        made(2, "three days", ago=moment, lifetime=timedelta(days=3)),
        made(3, "default", ago=moment, lifetime=timedelta(days=90)),
    )
    assert cell(model, "week").data() == "in 7 days"
    assert cell(model, "three days").data() == "in 3 days"
    assert cell(model, "default").data() == "in 3 months"
    for name in ("week", "three days", "default"):
        assert cell(model, name).data(ICON) is None, name


def test_a_token_is_flagged_in_its_last_week_and_last_quarter_of_life():
    model = table_of(
        # 7 days: flagged only in its last 42 hours.
        made(1, "week, 3 days left", ago=timedelta(days=4), lifetime=timedelta(days=7)),
        made(2, "week, 1 day left", ago=timedelta(days=6), lifetime=timedelta(days=7)),
        # 90 days: its whole last week.
        made(3, "quarter, 6 days left", ago=timedelta(days=84), lifetime=timedelta(days=90)),
    )
    assert cell(model, "week, 3 days left").data() == "in 3 days"
    assert cell(model, "week, 3 days left").data(ICON) is None
    for name, text in (
        ("week, 1 day left", "Expires in 1 day"),
        ("quarter, 6 days left", "Expires in 6 days"),
    ):
        assert cell(model, name).data() == text
        assert isinstance(cell(model, name).data(ICON), QIcon)


def statuses() -> TokenTableModel:
    return table_of(
        made(1, "expiring", ago=timedelta(days=85), lifetime=timedelta(days=90)),
        made(2, "retiring", ago=timedelta(days=30), lifetime=None, replaced_by=4,
             left=timedelta(hours=5)),
        made(3, "expired", ago=timedelta(days=10), lifetime=timedelta(days=7)),
        made(4, "retiring", ago=timedelta(minutes=1), lifetime=timedelta(days=90)),
        made(5, "active", ago=timedelta(days=1), lifetime=timedelta(days=90)),
    )  # fmt: skip


def ink(icon: QIcon) -> tuple[QColor, bytes]:
    """The colour an icon is drawn in, and its shape (which pixels are drawn)."""
    image = icon.pixmap(24, 24).toImage()
    colours: Counter[str] = Counter()
    shape = bytearray()
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            shape.append(pixel.alpha() > 128)
            if pixel.alpha() == 255:
                colours[pixel.name()] += 1
    return QColor(colours.most_common(1)[0][0]), bytes(shape)


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    original = QGuiApplication.palette()
    if request.param == "dark":
        QGuiApplication.setPalette(dark_palette())
    yield QGuiApplication.palette()
    QGuiApplication.setPalette(original)


def test_each_status_has_its_own_icon_shape_colour_and_words(palette):
    model = statuses()
    retiring = model.index(model.row_of(2), Column.EXPIRES)
    cells = {"expiring": cell(model, "expiring"), "retiring": retiring,
             "expired": cell(model, "expired")}  # fmt: skip
    words = {name: index.data() for name, index in cells.items()}
    assert words == {
        "expiring": "Expires in 5 days",
        "retiring": "Retiring, 5 hours left",
        "expired": "Expired",
    }
    drawn = {name: ink(index.data(ICON)) for name, index in cells.items()}
    colours = {name: colour.name() for name, (colour, _shape) in drawn.items()}
    shapes = {shape for _colour, shape in drawn.values()}
    assert len(set(colours.values())) == 3, colours  # not one monochrome mark
    assert len(shapes) == 3  # and not colour alone
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    for name, (colour, _shape) in drawn.items():
        # WCAG 2's 3:1 for graphics, on this palette's table; and a colour, not the text's.
        assert contrast_ratio(colour, base) >= 3, (name, colour.name(), base.name())
        assert colour != text, name
    assert cell(model, "active").data(ICON) is None


def test_expired_rows_are_greyed_yet_readable(palette):
    model = statuses()
    text = palette.color(QPalette.ColorRole.Text)
    backgrounds = [palette.color(QPalette.ColorRole.Base),
                   palette.color(QPalette.ColorRole.AlternateBase)]  # fmt: skip
    for column in Column:
        grey = cell(model, "expired", column).data(FOREGROUND)
        assert isinstance(grey, QColor), column
        for background in backgrounds:
            # Quieter than the other rows' text, and still WCAG AA.
            assert 4.5 <= contrast_ratio(grey, background) < contrast_ratio(text, background)
        for live in ("active", "expiring"):
            assert cell(model, live, column).data(FOREGROUND) is None


@pytest.fixture
def german():
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def test_the_expiry_date_is_in_the_tooltip_and_accessible_text_in_the_users_locale(german):
    # Expires 2027-03-01 12:00 UTC: the same calendar day in every time zone.
    model = table_of(made(1, "default", ago=timedelta(days=0), lifetime=timedelta(days=90)))
    expires = cell(model, "default")
    assert expires.data() == "in 3 months"
    assert expires.data(TOOLTIP).startswith("Expires ")
    for role in (TOOLTIP, ACCESSIBLE):
        assert "März 2027" in expires.data(role)
        assert "in 3 months" in expires.data(role)
        assert "2027-03-01" not in expires.data(role)
    never = table_of(made(1, "forever", ago=timedelta(days=1), lifetime=None))
    assert cell(never, "forever").data(ACCESSIBLE) == "This token never expires"


def test_rotation_is_refused_for_rotated_and_expired_tokens_by_name_never_id():
    model = statuses()
    refusals = {model.record(row).id: model.rotation_refusal(row) for row in range(5)}
    successor = model.record(model.row_of(4))
    assert refusals[2] == f"Already rotated: “retiring” ({successor.preview}) replaces it."
    assert refusals[3] == "Expired: generate a new token instead."
    assert refusals[1] is None  # expiring: exactly what rotation is for
    assert refusals[4] is None
    assert refusals[5] is None
    # Without the successor's record (not loaded), still no id.
    old = model.record(model.row_of(2))
    assert rotation_refusal(old, NOW) == "Already rotated: a newer token replaces it."
    assert "4" not in rotation_refusal(old, NOW)
    # A token rotated whose grace has run out: its successor is still the answer.
    ended = made(6, "ended", ago=timedelta(days=3), lifetime=None, replaced_by=4,
                 left=-timedelta(hours=1))  # fmt: skip
    assert rotation_refusal(ended, NOW, successor).startswith("Already rotated: “retiring”")
