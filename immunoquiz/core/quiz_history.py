"""Past quiz attempts shown: the history table, one attempt looked up for people, its mistakes to cram."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from immunoquiz.core.quiz_store import AttemptSummary, find_attempt, questions_of
from immunoquiz.core.selection import Selection
from immunoquiz.core.store import Store
from immunoquiz.core.studyday import format_moment


class ResultsError(Exception):
    """A results request or file that cannot be used; the message is one line for people."""


def attempt(store: Store, attempt_id: int) -> AttemptSummary:
    """One attempt.

    Raises:
        ResultsError: No such attempt.
    """
    found = find_attempt(store, attempt_id)
    if found is None:
        raise ResultsError(f"no quiz attempt {attempt_id} in this database (see `immunoquiz quiz --history`)")
    return found


def format_duration(ms: int | None) -> str:
    """``3 min 12 s``, ``45 s``; ``-`` when unknown."""
    if ms is None:
        return "-"
    seconds = round(ms / 1000)
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def format_history(rows: Sequence[AttemptSummary], tz: tzinfo | None = None) -> str:
    """The history as a plain table with aligned columns: id, date (in the learner's zone ``tz``), decks and tags,
    score, duration."""
    if not rows:
        return "No quiz taken yet: start one with `immunoquiz quiz`."
    header = ("id", "date", "decks / tags", "score", "duration")
    table = [header] + [
        (str(row.id), format_moment(row.started, tz), row.scope, row.result(), format_duration(row.duration_ms))
        for row in rows
    ]
    widths = [max(len(line[n]) for line in table) for n in range(len(header))]
    widths[0] = max(4, widths[0])  # ids right-aligned in four columns at least, as before
    lines = []
    for first, *rest in table:
        cells = [first.rjust(widths[0]), *(cell.ljust(width) for cell, width in zip(rest, widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def mistakes_selection(store: Store, attempt_id: int) -> Selection:
    """A cram session of the cards an attempt got wrong (or partly wrong, or left unanswered; not those never reached).

    Args:
        store: The learner's database.
        attempt_id: The attempt.

    Returns:
        ``Selection(cram=True, siblings=...)``: exactly the sides and cloze
        deletions asked, which leaves the schedule alone.

    Raises:
        ResultsError: No such attempt, or it has no mistakes.
    """
    attempt(store, attempt_id)
    asked = questions_of(store, attempt_id)
    sides = tuple(
        dict.fromkeys((q.id.deck_id, q.id.card_id, q.id.sibling) for q in asked if q.reached and not q.correct)
    )
    if not sides:
        raise ResultsError(f"quiz attempt {attempt_id} has no mistakes to cram")
    return Selection(cram=True, siblings=sides)
