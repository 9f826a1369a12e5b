"""``immunoquiz log export``: the review log in the columns the FSRS tools read.

The FSRS optimizer and the srs-benchmark read one row per answer with
``card_id``, ``review_time`` (epoch milliseconds), ``review_rating`` (1-4),
``review_state`` (0 new, 1 learning, 2 review, 3 relearning, before the
answer) and ``review_duration`` (milliseconds). Each row also carries
``review_day``, the learner's study day (which starts at the rollover hour,
local time), since the tools count intervals in such days: the file holds
everything ``options --optimize`` learns from, so that another tool fitting
it finds the same parameters.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TextIO

from immunoquiz.core.review_query import LogRow

FORMAT = "immunoquiz-review-log"
VERSION = 1
COLUMNS = ("card_id", "review_time", "review_rating", "review_state", "review_duration", "review_day", "deck", "card")


def _record(row: LogRow) -> tuple[object, ...]:
    # card_id is the row id (a number, as the tools expect); `card` names it in the deck.
    card = row.card_id if row.sibling == 0 else f"{row.card_id}#{row.sibling}"
    duration = 0 if row.duration_ms is None else row.duration_ms
    return (row.card, row.time_ms, row.rating, row.phase_before, duration, row.day, row.deck_id, card)


def write_csv(rows: Sequence[LogRow], out: TextIO) -> None:
    """Write the log as CSV, with a header row of ``COLUMNS``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(map(_record, rows))


def write_json(rows: Sequence[LogRow], out: TextIO, rollover_hour: int) -> None:
    """Write the log as one JSON document: the format, its version, the day rule and the reviews."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "next_day_starts_at": rollover_hour,
        "reviews": [dict(zip(COLUMNS, _record(row), strict=True)) for row in rows],
    }
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")
