"""PagedTableModel: a page at a time as the view asks, stopping at the end; refresh and
reload read again."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from ui.models.paged import PagedTableModel


class Numbers(PagedTableModel[list[int], int]):
    """Rows read from a list, counting the reads."""

    def __init__(self, rows: list[int], page_size: int) -> None:
        super().__init__(rows, "web", page_size=page_size)
        self.reads: list[tuple[int, int]] = []

    def _read(self, offset: int, limit: int) -> list[int]:
        self.reads.append((offset, limit))
        return self._source[offset : offset + limit]

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index, role=0):
        return self.record(index.row())


def numbers(rows: list[int], page_size: int = 10) -> Numbers:
    return Numbers(rows, page_size)


def test_fetch_more_loads_the_next_page_and_stops_at_the_end(qtbot):
    model = numbers(list(range(25)))
    top = QModelIndex()
    assert model.rowCount() == 0
    assert model.canFetchMore(top)
    with qtbot.waitSignal(model.rowsInserted):
        model.fetchMore(top)
    assert model.rowCount() == 10
    assert model.canFetchMore(top)
    model.fetchMore(top)
    model.fetchMore(top)
    assert [model.record(row) for row in range(model.rowCount())] == list(range(25))
    assert not model.canFetchMore(top)
    model.fetchMore(top)  # asked again at the end: no read
    assert model.reads == [(0, 10), (10, 10), (20, 10)]


def test_a_full_last_page_costs_one_empty_read_then_stops(qtbot):
    model = numbers(list(range(20)))
    for _ in range(4):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 20
    assert model.reads == [(0, 10), (10, 10), (20, 10)]
    assert not model.canFetchMore(QModelIndex())


def test_a_failed_read_says_so_once_and_stops_asking(qtbot):
    model = numbers([])

    def broken(offset: int, limit: int) -> list[int]:
        model.reads.append((offset, limit))
        raise OSError("gone")

    model._read = broken  # type: ignore[method-assign]
    with qtbot.waitSignal(model.failed) as failure:
        model.fetchMore(QModelIndex())
    assert failure.args[0] == "Could not load the rows"
    assert isinstance(failure.args[1], OSError)
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert len(model.reads) == 1


def test_refresh_rereads_what_is_loaded_and_leaves_an_unchanged_table_alone(qtbot):
    rows = list(range(25))
    model = numbers(rows)
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.refresh() is False  # nothing changed: no reset
    rows.insert(0, -1)  # another client added a row
    with qtbot.waitSignal(model.modelReset):
        assert model.refresh() is True
    assert model.reads[-1] == (0, 20)
    assert [model.record(row) for row in range(3)] == [-1, 0, 1]
    assert model.rowCount() == 20
    assert model.canFetchMore(QModelIndex())


def test_reload_forgets_the_rows_and_reads_the_first_page(qtbot):
    model = numbers(list(range(25)))
    for _ in range(3):
        model.fetchMore(QModelIndex())
    model.reload()
    assert model.rowCount() == 10
    assert model.reads[-1] == (0, 10)
    assert model.canFetchMore(QModelIndex())
