"""Line mode: study with plain text on standard output and answers on standard input.

For screen readers, slow links and scripts: no colour, no cursor movement.
For each card it prints the prompt and reads one answer line, prints the
verdict, the right answer and the source quote, then reads one rating line
(``1``-``4``, or empty for the proposed rating). On an answer line, ``u``
undoes the previous card, ``!`` suspends the card shown and ``-`` buries it
until tomorrow (on the rating line too, instead of rating it), ``?`` lists
these commands; ``q`` or end of input ends the session with a summary.
Every rating is committed before the next prompt is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from immunoquiz.core.feedback import answer_feedback, format_feedback, format_prompt
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Answer, Session, Showing
from immunoquiz.core.studyday import format_moment


def _show(out: IO[str], session: Session, showing: Showing, number: int) -> None:
    counts = session.counts()
    out.write(
        f"\nCard {number} · {showing.row.deck_id} · {showing.card.type} · {session.status(showing)}"
        f" · left: {counts.new} new, {counts.learning} learning, {counts.review} review\n"
    )
    out.write(format_prompt(showing.prompt))
    out.flush()


def _reveal(out: IO[str], session: Session, showing: Showing, answer: Answer, given: str) -> None:
    out.write(format_feedback(answer_feedback(showing.card, showing.prompt, answer.verdict, given)))
    intervals = session.intervals(showing)
    buttons = ", ".join(f"{int(r)} {r.label}" + (f" {intervals[r]}" if r in intervals else "") for r in Rating)
    proposed = answer.verdict.proposed
    out.write(f"Rate: {buttons}. Enter for {int(proposed)} {proposed.label}.\n> ")
    out.flush()


COMMANDS = "Commands: u undoes the previous card, ! suspends this card, - buries it until tomorrow, q ends."


def _set_aside(out: IO[str], session: Session, showing: Showing, command: str) -> None:
    """Suspend (``!``) or bury (``-``) the card shown, unanswered."""
    if command == "!":
        session.suspend(showing)
        out.write(
            f"Suspended: this card is not shown again until you unsuspend it "
            f"(immunoquiz browse deck:{showing.row.deck_id} card:{showing.row.card_id} --unsuspend).\n"
        )
    else:
        session.bury(showing)
        out.write("Buried until tomorrow.\n")


def _read(source: IO[str]) -> str | None:
    line = source.readline()
    if not line:
        return None
    return line.rstrip("\r\n")


def run_plain(session: Session, source: IO[str], out: IO[str], on_rated: Callable[[], None] | None = None) -> int:
    """Run a line-mode session until the queue is empty, ``q`` or end of input.

    Args:
        session: The session to run.
        source: Where answer and rating lines come from.
        out: Where the text goes.
        on_rated: Called after each committed rating (tests use it).

    Returns:
        How many answers were recorded.
    """
    number = 0
    while True:
        showing = session.next()
        if showing is None:
            break
        number = session.answered + 1
        _show(out, session, showing, number)
        line = _read(source)
        if line is None or line.strip().lower() == "q":
            out.write("\n")
            break
        command = line.strip().lower()
        if command == "u":
            session.put_back(showing)
            if session.undo():
                out.write("Undone: the previous card comes back.\n")
            else:
                out.write("Nothing to undo.\n")
            continue
        if command in ("!", "-"):
            _set_aside(out, session, showing, command)
            continue
        if command == "?":
            out.write(COMMANDS + "\n")
            session.put_back(showing)
            continue
        answer = session.check(showing, line)
        _reveal(out, session, showing, answer, line)
        rating_line = _read(source)
        rating = answer.verdict.proposed
        while rating_line is not None and rating_line.strip() not in ("", "1", "2", "3", "4", "!", "-"):
            out.write("Please type 1, 2, 3 or 4 (or Enter); ! suspends the card, - buries it.\n> ")
            out.flush()
            rating_line = _read(source)
        if rating_line is not None and rating_line.strip() in ("!", "-"):
            _set_aside(out, session, showing, rating_line.strip())
            continue
        if rating_line is not None and rating_line.strip():
            rating = Rating(int(rating_line.strip()))
        session.rate(showing, answer, rating)
        if on_rated is not None:
            on_rated()
        if rating_line is None:
            break
    _summary(out, session)
    return session.answered


def _summary(out: IO[str], session: Session) -> None:
    summary = session.summary()
    waiting = session.waiting_until()
    tz = session.day_rule.tz
    out.write(f"Session over: {summary.studied} card{'s' * (summary.studied != 1)} studied")
    if summary.accuracy is not None:
        out.write(f", {summary.correct}/{summary.checked} checked answers right ({summary.accuracy:.0%})")
    out.write(f", {summary.seconds / 60:.1f} min.\n")
    if waiting is not None:
        out.write(f"Learning cards are due again at {format_moment(waiting, tz, session.clock())}.\n")
    elif summary.next_due is not None:
        out.write(f"Next card due: {format_moment(summary.next_due, tz)}.\n")
    out.flush()
