"""Quiz line mode: one question, one answer line, the verdict with the right answer and its source.

Follows the review line mode (``plain``). Before the first question of a
deck with a note it prints ``Note (TITLE): ...``, once. Each question prints its text and
options and reads exactly one answer line: a letter (several for a
multi-answer question) or the option's text, the typed answer, the number,
or the item numbers in order; an empty line leaves the question unanswered.
``p`` on an answer line pauses the clock until Enter; ``q``, end of input or Ctrl-C ends the paper (the questions left
count as unanswered, and with questions left the attempt is saved as incomplete).
A choice or ordering answer that cannot be read (empty, a letter with no
option, the wrong count of items) is asked again, with the reason. With a
time limit, an answer given after the limit is not counted and the paper
ends; reading from a terminal or a pipe, the paper also ends when the time
runs out while an answer is awaited. The paper ends with
``Score: R/N (P%)``, the per-tag breakdown, the time taken and the list of
mistakes. Every answer is saved before the next question is printed.
"""

from __future__ import annotations

import codecs
import os
import select
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from typing import IO, Literal

from immunoquiz.core.exam import Scorecard, format_score, format_time_left
from immunoquiz.core.feedback import LATE_ANSWER, QUIZ_ALMOST, format_feedback, format_prompt, mark_feedback
from immunoquiz.core.grading import unreadable
from immunoquiz.core.model import NO_SOURCE
from immunoquiz.core.quiz import Question
from immunoquiz.core.quiz_history import format_duration
from immunoquiz.core.quiz_store import questions_of
from immunoquiz.core.sitting import QuizSitting


def _clock(left: timedelta | None) -> str:
    return "" if left is None else f" · {format_time_left(left)}"


def _show(out: IO[str], sitting: QuizSitting, question: Question) -> None:
    total = len(sitting.paper.questions)
    note = sitting.note()
    if note is not None:
        out.write(f"\n{note.line()}\n")
    out.write(
        f"\nQuestion {sitting.position + 1}/{total} · {question.id.deck_id} · {question.form}"
        f"{_clock(sitting.remaining())}\n"
    )
    out.write(format_prompt(question.prompt))
    out.flush()


class _Read(Enum):
    TIME_UP = "the time ran out before a line came"


class _AnswerLines:
    """Answer lines, each awaited at most until the time is up.

    From a file descriptor that ``select`` can wait on (a terminal, a pipe),
    lines are read and split here, so that none sits in a buffer out of
    ``select``'s sight; from anything else (a StringIO), or without a time
    limit, a read blocks as ``readline`` does.

    Args:
        source: Where the lines come from.
        timed: Whether the paper has a time limit.
    """

    def __init__(self, source: IO[str], timed: bool) -> None:
        self.source = source
        self.fd: int | None = None
        if timed:
            try:
                fd = source.fileno()
                select.select([fd], [], [], 0)
                self.fd = fd
            except (AttributeError, OSError, ValueError):  # no descriptor, or one select cannot wait on
                self.fd = None
        self.decoder = codecs.getincrementaldecoder(getattr(source, "encoding", None) or "utf-8")(errors="replace")
        self.pending = ""
        self.ended = False

    def read(self, remaining: Callable[[], timedelta | None] = lambda: None) -> str | Literal[_Read.TIME_UP] | None:
        """The next line without its line end; None at the end of input; TIME_UP when the time ran out first."""
        if self.fd is None:
            line = self.source.readline()
            return None if not line else line.rstrip("\r\n")
        while "\n" not in self.pending and not self.ended:
            left = remaining()
            if left is not None and left <= timedelta(0):
                return _Read.TIME_UP
            wait = None if left is None else left.total_seconds()
            if not select.select([self.fd], [], [], wait)[0]:
                continue  # the deadline passed: checked at the top against the sitting's clock
            chunk = os.read(self.fd, 4096)
            self.pending += self.decoder.decode(chunk, final=not chunk)
            self.ended = not chunk
        if not self.pending:
            return None
        line, _, self.pending = self.pending.partition("\n")
        return line.rstrip("\r")


def _answer_line(
    out: IO[str], sitting: QuizSitting, question: Question, lines: _AnswerLines
) -> str | Literal[_Read.TIME_UP] | None:
    """The answer line to mark (or ``q``, None at the end of input, TIME_UP); pauses and unreadable answers in between.

    ``p`` pauses the clock until Enter; a choice or ordering answer that
    cannot be read is asked again, with the reason.
    """
    while True:
        line = lines.read(sitting.remaining)
        if not isinstance(line, str) or line.strip().lower() == "q":
            return line
        if line.strip().lower() == "p":
            sitting.pause()
            out.write("Paused: the clock is stopped. Press Enter to go on.\n")
            out.flush()
            if lines.read() is None:
                return None
            sitting.resume()
            out.write(f"Resumed{_clock(sitting.remaining())}.\n> ")
            out.flush()
            continue
        reason = unreadable(question.prompt, line)
        if reason is None:
            return line
        out.write(f"{reason}\n> ")
        out.flush()


def run_quiz_plain(sitting: QuizSitting, source: IO[str], out: IO[str]) -> Scorecard:
    """Run a paper in line mode until it ends, the time is up, ``q`` or end of input.

    Ctrl-C ends it as ``q`` does, then raises the KeyboardInterrupt again
    for the command to exit as interrupted.

    Args:
        sitting: The sitting (already saved as started).
        source: Where answer lines come from.
        out: Where the text goes.

    Returns:
        The scorecard (already saved).
    """
    paper = sitting.paper
    limit = sitting.request.time_limit_s
    out.write(
        f"Quiz: {len(paper.questions)} questions · seed {paper.seed}"
        + (f" · time limit {limit // 60} min {limit % 60} s" if limit is not None else " · no time limit")
        + ". p pauses, q ends.\n"
    )
    lines = _AnswerLines(source, timed=limit is not None)
    try:
        stopped = _sit(out, sitting, lines)
    except KeyboardInterrupt:
        out.write("\n")  # ends the line the interrupt cut short
        _summary(out, sitting, sitting.finish(stopped=True))
        raise
    if sitting.expired and sitting.current() is None and sitting.position < len(paper.questions):
        out.write("Time is up.\n")
    scorecard = sitting.finish(stopped=stopped)
    _summary(out, sitting, scorecard)
    return scorecard


def _sit(out: IO[str], sitting: QuizSitting, lines: _AnswerLines) -> bool:
    """Ask the questions and mark the answers until the paper ends; whether the learner stopped it (q, end of input)."""
    while (question := sitting.current()) is not None:
        _show(out, sitting, question)
        line = _answer_line(out, sitting, question, lines)
        if not isinstance(line, str) or line.strip().lower() == "q":
            out.write("\n")
            return line is not _Read.TIME_UP
        # An empty line gives no answer: the question is left unanswered, as Space in an empty box does in the app.
        mark = sitting.answer(line) if line.strip() else (None if sitting.expired else sitting.skip())
        if mark is None:
            out.write(f"Time is up: {LATE_ANSWER}.\n")
            break
        out.write(format_feedback(mark_feedback(question.card, question.prompt, mark, sitting.known_answers)))
        out.flush()
    return False


def _summary(out: IO[str], sitting: QuizSitting, scorecard: Scorecard) -> None:
    out.write(f"\n{scorecard.line()}\n")
    if scorecard.by_tag:
        out.write("By tag:\n")
        for tag in scorecard.by_tag:
            out.write(f"  {tag.tag}: {format_score(tag.score, tag.total)}\n")
    unanswered = scorecard.total - scorecard.answered
    out.write(
        f"Time: {format_duration(scorecard.duration_ms)}"
        + (f" · {unanswered} unanswered" if unanswered else "")
        + (" · time up" if scorecard.timed_out else "")
        + "\n"
    )
    records = {r.position: r for r in questions_of(sitting.store, sitting.attempt_id)}
    if scorecard.mistakes:
        out.write("Mistakes:\n")
        for position in scorecard.mistakes:
            record = records[position]
            out.write(f"  {position + 1}. {record.question}\n")
            given = record.answer if record.answered and record.answer is not None else "(unanswered)"
            if record.chosen:
                given += f" ({'; '.join(record.chosen)})"
            out.write(f"     Your answer: {given}\n")
            if record.almost:
                out.write(f"     Almost: {QUIZ_ALMOST}\n")
            out.write(f"     Right answer: {record.expected}\n")
            out.writelines([f'     Source: "{quote}"\n' for quote in record.quotes] or [f"     Source: {NO_SOURCE}\n"])
        out.write(
            f"{_saved(sitting.attempt_id, scorecard)} Cram the mistakes with: "
            f"immunoquiz review --plain --from-quiz {sitting.attempt_id}\n"
        )
    else:
        none = "No mistakes among the questions reached." if scorecard.incomplete else "No mistakes."
        out.write(f"{none} {_saved(sitting.attempt_id, scorecard)}\n")
    out.flush()


def _saved(attempt_id: int, scorecard: Scorecard) -> str:
    """``Attempt 12 saved.``, saying so when it is incomplete (quit before its end)."""
    if scorecard.incomplete:
        return (
            f"Attempt {attempt_id} saved as incomplete ({scorecard.answered} of {scorecard.total} answered): "
            "it is kept in the history, but not exported."
        )
    return f"Attempt {attempt_id} saved."
