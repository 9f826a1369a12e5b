"""Line mode: study with plain text on standard output and answers on standard input.

For screen readers, slow links and scripts: no colour, no cursor movement.
Before the first card of a deck with a note it prints ``Note (TITLE): ...``,
once a session. For each card it prints the prompt (after the notice of a
correction of its answer, until it is answered once) and reads one answer line (an empty one
shows the answer of a typed, numeric or cloze card to self-grade; a choice
or ordering answer that cannot be read is asked again, with the reason),
prints the verdict, the right answer and the source quote, then reads one
rating line (``1``-``4``, or empty for the proposed rating). On either line,
``u`` undoes the previous card, ``!`` suspends the card shown and ``-``
buries it until tomorrow, ``?`` lists these commands; ``q``, end of input or
Ctrl-C ends the session with a summary, recording nothing for the card shown.
Every rating is committed before the next prompt is printed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import IO, Literal

from immunoquiz.core.feedback import answer_feedback, correction_notice, format_feedback, format_prompt
from immunoquiz.core.grading import unreadable
from immunoquiz.core.schedule import Rating
from immunoquiz.core.session import Answer, Session, Showing
from immunoquiz.core.store import DamagedDatabase, StoreError, describe_error
from immunoquiz.core.studyday import format_moment
from immunoquiz.core.text import counted


def _show(out: IO[str], session: Session, showing: Showing, number: int) -> None:
    counts = session.counts()
    if showing.note is not None:
        out.write(f"\n{showing.note.line()}\n")
    out.write(
        f"\nCard {number} · {showing.row.deck_id} · {showing.card.type} · {session.status(showing)}"
        f" · left: {counts.new} new, {counts.learning} learning, {counts.review} review\n"
    )
    if showing.corrected is not None:
        out.write(correction_notice(showing.corrected, showing.prompt.expected, session.day_rule.tz) + "\n")
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
COMMAND_KEYS = ("u", "!", "-", "?", "q")
RATING_KEYS = ("", "1", "2", "3", "4", *COMMAND_KEYS)


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


def _command(out: IO[str], session: Session, showing: Showing, command: str) -> bool:
    """Run ``u``, ``!``, ``-`` or ``?`` on the card shown, at either prompt; False for anything else.

    ``u`` and ``?`` put the card shown back, so it is asked again from the start.
    """
    if command == "u":
        session.put_back(showing)
        out.write("Undone: the previous card comes back.\n" if session.undo() else "Nothing to undo.\n")
    elif command in ("!", "-"):
        _set_aside(out, session, showing, command)
    elif command == "?":
        out.write(COMMANDS + "\n")
        session.put_back(showing)
    else:
        return False
    return True


def _rate(
    out: IO[str], source: IO[str], session: Session, showing: Showing, answer: Answer
) -> Literal["rated", "command", "quit"]:
    """Read a rating (or a command) and record it; a rating the database refuses is asked again.

    Returns:
        What became of the card: rated, handled by a command, or the session ended.
    """
    while True:
        rating_line = _read(source)
        while rating_line is not None and rating_line.strip().lower() not in RATING_KEYS:
            _ask(out, "Please type 1, 2, 3 or 4 (or Enter); ? lists the other commands.")
            rating_line = _read(source)
        command = "q" if rating_line is None else rating_line.strip().lower()
        if command == "q":
            return "quit"
        if _command(out, session, showing, command):
            return "command"
        try:
            session.rate(showing, answer, Rating(int(command)) if command else answer.verdict.proposed)
        except DamagedDatabase:
            raise  # asking again would not help: the session ends with the one line that says what to do
        except (sqlite3.Error, StoreError) as exc:
            # Each answer is one transaction, rolled back on failure: the same rating can be given again.
            reason = describe_error(exc)
            _ask(out, f"Not saved, nothing was changed: {reason}. Type the rating again, or q to stop.")
            continue
        return "rated"


def _ask(out: IO[str], text: str) -> None:
    out.write(f"{text}\n> ")
    out.flush()


def run_plain(session: Session, source: IO[str], out: IO[str], on_rated: Callable[[], None] | None = None) -> int:
    """Run a line-mode session until the queue is empty, ``q`` or end of input.

    ``q`` or end of input at either prompt ends the session; the card shown
    then is not recorded. So does Ctrl-C, after the summary, with the
    KeyboardInterrupt raised again for the command to exit as interrupted.

    Args:
        session: The session to run.
        source: Where answer and rating lines come from.
        out: Where the text goes.
        on_rated: Called after each committed rating (tests use it).

    Returns:
        How many answers were recorded.
    """
    try:
        _study(session, source, out, on_rated)
    except KeyboardInterrupt:
        out.write("\n")  # ends the line the interrupt cut short
        _summary(out, session)
        raise
    _summary(out, session)
    return session.answered


def _study(session: Session, source: IO[str], out: IO[str], on_rated: Callable[[], None] | None) -> None:
    """Show cards and record their answers until the queue is empty, ``q`` or end of input."""
    while (showing := session.next()) is not None:
        _show(out, session, showing, session.answered + 1)
        # Answers will be written: SQLite's quick check reads the file while the learner reads the card.
        session.store.start_check()
        line = _read(source)
        # An answer a choice or ordering question cannot read is asked again, with the reason.
        while line is not None and line.strip().lower() not in COMMAND_KEYS:
            reason = unreadable(showing.prompt, line)
            if reason is None:
                break
            _ask(out, reason)
            line = _read(source)
        if line is None or line.strip().lower() == "q":
            out.write("\n")
            break
        if _command(out, session, showing, line.strip().lower()):
            continue
        answer = session.check(showing, line)
        _reveal(out, session, showing, answer, line)
        outcome = _rate(out, source, session, showing, answer)
        if outcome == "quit":
            out.write("\n")
            break
        if outcome == "rated" and on_rated is not None:
            on_rated()


def _summary(out: IO[str], session: Session) -> None:
    summary = session.summary()
    waiting = session.waiting_until()
    tz = session.day_rule.tz
    out.write(f"Session over: {counted(summary.studied, 'card')} studied")
    if summary.accuracy is not None:
        out.write(f", {summary.correct}/{summary.checked} checked answers right ({summary.accuracy:.0%})")
    if summary.self_graded:
        out.write(f", {summary.self_graded} self-graded")
    out.write(f", {summary.seconds / 60:.1f} min.\n")
    if waiting is not None:
        out.write(f"Learning cards are due again at {format_moment(waiting, tz, session.clock())}.\n")
    elif summary.next_due is not None:
        out.write(f"Next card due: {format_moment(summary.next_due, tz)}.\n")
    out.flush()
