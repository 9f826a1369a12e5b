"""Tables that use the terminal's width."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable


def room_left(table: DataTable[object], others: Sequence[int]) -> int:
    """The width left for one column of a table beside columns of these widths.

    Cell padding counts, and room for a vertical scrollbar is kept whether or
    not one shows yet: rows added later must not make the table scroll sideways.
    """
    padding = 2 * table.cell_padding
    used = sum(width + padding for width in others) + padding + table.styles.scrollbar_size_vertical
    return table.region.width - table.styles.gutter.width - used
