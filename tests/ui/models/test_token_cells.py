"""What a token's cells say and how they look: the status shown (flagged only late in a
token's life), the expiry in words and in the user's locale, the status icons and the
expired rows' grey on light and dark tables, and why a token cannot be rotated."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette

from app.records import TokenRecord
from tests.support.ui import dark_palette
from ui.models.token_cells import rotation_refusal
from ui.models.tokens import Column, TokenTableModel
from ui.widgets.hint import contrast_ratio

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
