"""Quiz line mode driven through standard input (injected clock), and the quiz and results commands."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from immunoquiz.cli import cli
from immunoquiz.core.clock import Clock, ManualClock, system_clock
from immunoquiz.core.quiz import QuestionMaker, QuizRequest, build_paper
from immunoquiz.core.quiz_store import history, questions_of
from immunoquiz.core.sitting import QuizSitting, make_paper
from immunoquiz.core.store import Store
from immunoquiz.core.workspace import open_workspace
from immunoquiz.paths import bundled_decks_dir
from immunoquiz.plain_quiz import run_quiz_plain
from tests.support.decks import BULLETS, CHOICE, NUMERIC, ORDERING, TYPED, basic_card, bullet_deck
from tests.support.stored import stored_notes


def deck(write_deck: Callable[..., Path]) -> Path:
    return write_deck("d", [TYPED, CHOICE, NUMERIC, ORDERING])


class TickingInput(io.StringIO):
    """Answer lines that take ``seconds`` each on the manual clock."""

    def __init__(self, lines: list[str], clock: ManualClock, seconds: float) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.clock, self.seconds = clock, seconds

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        self.clock.advance(seconds=self.seconds)
        return super().readline()


def fixed_sitting(store: Store, clock: Clock, request: QuizRequest) -> QuizSitting:
    cards = stored_notes(store)
    wanted = ["ordering", "choice", "numeric", "typed"]
    papers = (build_paper(cards, cards, count=4, seed=seed) for seed in range(500))
    paper = next(p for p in papers if [q.form for q in p.questions] == wanted)
    return QuizSitting(store, paper, request, clock=clock)


def answer_lines(sitting: QuizSitting, partly: bool = True) -> list[str]:
    ordering, choice, _, _ = sitting.paper.questions
    numbers = {item: str(n) for n, item in enumerate(ordering.prompt.options, 1)}
    steps = ["Extract T-cells", "Engineer a receptor", "Infuse them back", "Grow millions"]
    letter = "abcd"[choice.prompt.options.index("Ipilimumab")]
    return [" ".join(numbers[s] for s in steps), letter, "59.8%", "Opdivo"]


def test_a_paper_in_line_mode(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, clock, QuizRequest())
    out = io.StringIO()
    scorecard = run_quiz_plain(sitting, TickingInput(answer_lines(sitting), clock, 15), out)
    text = out.getvalue()
    assert text.startswith(f"Quiz: 4 questions · seed {sitting.paper.seed} · no time limit. p pauses, q ends.\n")
    blocks = text.split("\nQuestion ")[1:]
    assert blocks[0].startswith("1/4 · d · ordering\nQ: Put the CAR-T steps in order.\n  1. ")
    assert "Partly right (0.83 of 1).\nAnswer: 1. Extract T-cells; 2. Engineer a receptor" in blocks[0]
    assert "In your numbering: " in blocks[0]
    assert "Type a letter (or 1 to 4), or the option's text.\n> Right.\nAnswer: Ipilimumab\n" in blocks[1]
    assert 'Source: "Ipilimumab (Yervoy) blocks CTLA-4, boosting the overall T-cell response."' in blocks[1]
    assert "Type a number.\n> Right.\nAnswer: 59.8%" in blocks[2]
    assert '> Wrong.\nAnswer: Keytruda\nSource: "Drugs like pembrolizumab' in blocks[3]
    tail = text[text.index("\nScore: ") :]
    assert tail.startswith(
        "\nScore: 2.83/4 (71%)\nBy tag:\n  car-t: 0.83/1 (83%)\n  drugs: 1/2 (50%)\n  trials: 1/1 (100%)\n"
    )
    assert "Time: 1 min 0 s\nMistakes:\n  1. Put the CAR-T steps in order.\n" in tail
    assert (
        "  4. Under which brand name is pembrolizumab sold?\n     Your answer: Opdivo\n     Right answer: Keytruda\n"
        in tail
    )
    assert tail.endswith("Attempt 1 saved. Cram the mistakes with: immunoquiz review --plain --from-quiz 1\n")
    assert scorecard.mistakes == (0, 3)


def test_time_up_and_pause_in_line_mode(store: Store, clock: ManualClock, write_deck: Callable[..., Path]) -> None:
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, clock, QuizRequest(time_limit_s=60))
    lines = answer_lines(sitting)
    # 15 s per line: answer, pause (the Enter line comes 15 s later but the clock is stopped), answer, answer too late.
    out = io.StringIO()
    scorecard = run_quiz_plain(sitting, TickingInput([lines[0], "p", "", lines[1], lines[2], lines[3]], clock, 15), out)
    text = out.getvalue()
    assert "Question 1/4 · d · ordering · 1:00 left" in text
    assert "Paused: the clock is stopped. Press Enter to go on.\nResumed · 0:30 left.\n> Right." in text
    assert "Question 3/4 · d · numeric · 0:15 left" in text
    assert "Time is up: this answer came after the limit and is not counted." in text
    assert "Score: 1.83/4 (46%)" in text and "Time: 1 min 0 s · 2 unanswered · time up" in text
    assert "Your answer: (unanswered)" in text
    saved = store.conn.execute("SELECT answered, answer FROM quiz_questions ORDER BY position").fetchall()
    assert saved[2:] == [(0, None), (0, None)] and scorecard.timed_out
    # Ended by the clock, the paper is complete: scored and exported.
    (attempt,) = history(store)
    assert attempt.complete and not scorecard.incomplete and attempt.score == scorecard.score


def test_time_running_out_while_an_answer_is_awaited_ends_the_paper(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    # A real pipe and the real clock: the learner answers one question, then types nothing.
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, system_clock, QuizRequest(time_limit_s=1))
    read_end, write_end = os.pipe()
    os.write(write_end, (answer_lines(sitting)[0] + "\n").encode())
    # Should the paper wait for input regardless, end the input after a while rather than hang.
    ended: list[bool] = []

    def end_input() -> None:
        ended.append(True)
        os.close(write_end)

    hang_guard = threading.Timer(10, end_input)
    hang_guard.start()
    started = time.monotonic()
    with os.fdopen(read_end, encoding="utf-8") as source:
        out = io.StringIO()
        scorecard = run_quiz_plain(sitting, source, out)
    waited = time.monotonic() - started
    hang_guard.cancel()
    hang_guard.join()
    if not ended:
        os.close(write_end)
    text = out.getvalue()
    assert waited < 5, "the paper waited for an answer past its time limit"
    assert "Question 2/4" in text and "Question 3/4" not in text
    assert "Time is up.\n" in text and "· 3 unanswered · time up" in text
    assert scorecard.timed_out and scorecard.answered == 1


def test_answer_lines_from_a_pipe_keep_their_order_and_end(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    # With a time limit, lines are split from the descriptor itself: several in one write, a last one
    # without a newline, and the end of input must read as they would with readline.
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, clock, QuizRequest(time_limit_s=3600))
    lines = answer_lines(sitting)
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "w", encoding="utf-8") as learner:
        learner.write("\n".join(lines[:3]) + "\r\n" + lines[3])
    with os.fdopen(read_end, encoding="utf-8") as source:
        scorecard = run_quiz_plain(sitting, source, io.StringIO())
    assert scorecard.answered == 4 and not scorecard.timed_out
    saved = [row[0] for row in store.conn.execute("SELECT answer FROM quiz_questions ORDER BY position")]
    assert saved == lines


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def wrong_lines(db: Path, folder: Path, request: QuizRequest) -> str:
    """A readable wrong answer to each question of the paper the command will make for ``request``."""
    workspace = open_workspace(db, [bundled_decks_dir(), folder], system_clock)
    try:
        paper = make_paper(workspace.store, request)
    finally:
        workspace.store.close()
    lines = []
    for question in paper.questions:
        options = question.prompt.options
        if question.form == "choice":
            lines.append("abcd"[next(n for n, o in enumerate(options) if o not in question.right_options)])
        elif question.form == "ordering":
            lines.append(" ".join(str(options.index(item) + 1) for item in reversed(question.prompt.answers)))
        else:
            lines.append("wrong")
    return "".join(f"{line}\n" for line in lines)


def test_quiz_history_cram_and_export_commands(tmp_path: Path, write_deck: Callable[..., Path]) -> None:
    folder = write_deck(
        "d",
        [
            TYPED,
            CHOICE,
            NUMERIC,
            ORDERING,
            basic_card("b1", "Q1", "Alpha", tags=["drugs"], distractors="[Gamma, Delta]"),
            basic_card("b2", "Q2", "Beta", tags=["drugs"], distractors="[Gamma, Delta]"),
        ],
    )
    common = ["--db", str(tmp_path / "x.db"), "--decks", str(folder)]
    wrong = wrong_lines(tmp_path / "x.db", folder, QuizRequest(decks=("d",), count=50, seed=7))
    code, out, err = invoke("quiz", "--plain", "--deck", "d", "-n", "50", "--seed", "7", *common, stdin=wrong)
    assert code == 0, err
    assert "asked for 50 questions but these decks, tags and forms give only 6: the paper has 6" in err
    assert "Score: 0/6 (0%)" in out
    again = invoke("quiz", "--plain", "--deck", "d", "-n", "50", "--seed", "7", *common, stdin=wrong)[1]
    assert [line for line in again.splitlines() if line.startswith("Q:")] == [
        line for line in out.splitlines() if line.startswith("Q:")
    ]  # the same seed, the same paper
    code, out, _ = invoke("quiz", "--plain", "--types", "choice", "-n", "2", "--seed", "1", *common, stdin="a\nb\n")
    assert code == 0 and out.count("\nQuestion ") == 2 and " · choice" in out
    code, out, _ = invoke("quiz", "--history", *common)
    assert code == 0 and out.splitlines()[1].split()[0] == "1" and "0/6 (0%)" in out and len(out.splitlines()) == 4
    # Three lines a card: "a" answers a choice (an ordering asks again and reads "1 2 3 4"); else "1 2 3 4"
    # is no rating and is asked again; then 3.
    code, out, err = invoke("review", "--plain", "--from-quiz", "1", *common, stdin="a\n1 2 3 4\n3\n" * 6)
    assert code == 0, err
    assert "Session over: 6 cards studied" in out
    assert invoke("review", "--plain", "--from-quiz", "9", *common)[2] == (
        "immunoquiz: error: --from-quiz 9: no quiz attempt 9 in this database (see `immunoquiz quiz --history`)\n"
    )
    past_sqlite = str(2**63)
    assert invoke("review", "--plain", "--from-quiz", past_sqlite, *common)[2] == (
        f"immunoquiz: error: --from-quiz {past_sqlite}: no quiz attempt {past_sqlite} in this database"
        " (see `immunoquiz quiz --history`)\n"
    )
    code, out, err = invoke("results", "export", "--format", "json", *common)
    document = json.loads(out)
    assert code == 0 and [a["total"] for a in document["attempts"]] == [6, 6, 2]
    code, _, err = invoke("results", "export", "--format", "csv", "-o", str(tmp_path / "r.csv"), *common)
    assert code == 0 and err == f"3 attempts written to {tmp_path / 'r.csv'}\n"
    assert (tmp_path / "r.csv").read_text().count("\n") == 15


def test_bad_quiz_options_are_one_line(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "x.db")]
    for args, message in [
        (["--deck", "nope"], "--deck nope: no such deck (decks: how-immunotherapy-works"),
        (["--tag", "nope"], "--tag nope: no card has this tag (tags: "),
        (
            ["--types", "essay"],
            "--types essay: `essay` is not a question form (forms: choice, typed, numeric, ordering)",
        ),
        (["-n", "0"], "-n must be 1 or more"),
        (["--time", "0"], "--time must be a number of minutes from 0 to 10,080"),
    ]:
        code, out, err = invoke("quiz", "--plain", *args, *db)
        assert code == 1 and out == "" and err.startswith(f"immunoquiz: error: {message}") and err.count("\n") == 1, err


def test_choice_forms_in_the_bundled_decks_never_repeat_the_answer(store: Store, clock: ManualClock) -> None:
    import random

    from immunoquiz.paths import bundled_decks_dir

    store.sync([bundled_decks_dir()], clock())
    pool = stored_notes(store)
    maker = QuestionMaker(pool)
    rng = random.Random(0)
    for card in pool:
        for sibling, form in maker.forms(card):
            question = maker.question(card, sibling, form, rng)
            if form == "choice":
                right = question.right_options
                assert len(right) == len(question.prompt.answers) >= 1
                assert len(set(question.prompt.options)) == len(question.prompt.options) >= 3


def test_an_answer_a_question_cannot_read_is_asked_again(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, clock, QuizRequest())
    ordering, choice, numeric, typed = answer_lines(sitting)
    # The ordering: three numbers for four items; the choice: nothing, then a letter with no option.
    lines = ["1 2 3", ordering, "", "z", choice, numeric, typed]
    out = io.StringIO()
    scorecard = run_quiz_plain(sitting, TickingInput(lines, clock, 15), out)
    text = out.getvalue()
    assert "Type each of the 4 item numbers once, in the right order, like: 4 3 2 1.\n> " in text
    assert "Nothing was typed: type a letter from a to d (or 1 to 4).\n> " in text
    assert "That names no option: type a letter from a to d (or 1 to 4), or the option's text.\n> " in text
    assert scorecard.answered == 4 and "Score: 2.83/4 (71%)" in text  # as if answered at once


def test_an_empty_line_leaves_a_typed_or_numeric_question_unanswered_and_logs_no_review(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, clock, QuizRequest(affect_schedule=True))
    ordering, choice, _, _ = answer_lines(sitting)
    out = io.StringIO()
    scorecard = run_quiz_plain(sitting, TickingInput([ordering, choice, "", "  "], clock, 15), out)
    numeric, typed = questions_of(store, sitting.attempt_id)[2:]
    assert (numeric.answered, numeric.answer, typed.answered, typed.answer) == (False, None, False, None)
    assert scorecard.answered == 2 and "Time: 1 min 0 s · 2 unanswered\n" in out.getvalue()
    # Only the two answers given moved a schedule, as Space in an empty box in the app.
    assert store.conn.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2


def test_q_at_question_1_saves_an_incomplete_attempt_that_is_not_exported(
    tmp_path: Path, write_deck: Callable[..., Path]
) -> None:
    common = ["--db", str(tmp_path / "x.db"), "--decks", str(deck(write_deck))]
    code, out, err = invoke(
        "quiz", "--plain", "--deck", "d", "--types", "typed", "-n", "1", "--seed", "1", *common, stdin="q\n"
    )
    assert code == 0, err
    assert (
        "No mistakes among the questions reached. "
        "Attempt 1 saved as incomplete (0 of 1 answered): it is kept in the history, but not exported."
    ) in out
    history_text = invoke("quiz", "--history", *common)[1]
    assert "incomplete (0 of 1 answered)" in history_text
    assert json.loads(invoke("results", "export", *common)[1])["attempts"] == []
    everything = json.loads(invoke("results", "export", "--include-incomplete", *common)[1])["attempts"]
    assert [(a["attempt"], a["complete"], a["score"]) for a in everything] == [(1, False, None)]


def test_a_quote_of_several_passages_is_one_source_line_each_in_the_mistakes(
    store: Store, clock: ManualClock, tmp_path: Path
) -> None:
    store.sync([bullet_deck(tmp_path)], clock())
    request = QuizRequest(decks=("bullets",), count=1, forms=("typed",), seed=1)
    sitting = QuizSitting(store, make_paper(store, request), request, clock=clock)
    out = io.StringIO()
    run_quiz_plain(sitting, io.StringIO("wrong\n"), out)
    sources = "".join(f'     Source: "{bullet}"\n' for bullet in BULLETS)
    assert f"     Right answer: T-cells\n{sources}Attempt 1 saved." in out.getvalue()


def test_a_near_miss_is_wrong_and_the_results_say_almost(
    store: Store, clock: ManualClock, write_deck: Callable[..., Path]
) -> None:
    store.sync([deck(write_deck)], clock())
    sitting = fixed_sitting(store, clock, QuizRequest())
    lines = answer_lines(sitting)
    out = io.StringIO()
    scorecard = run_quiz_plain(sitting, TickingInput([*lines[:3], "Keytrudda"], clock, 15), out)
    text = out.getvalue()
    assert scorecard.mistakes == (0, 3) and scorecard.score < 3
    assert (
        "  4. Under which brand name is pembrolizumab sold?\n     Your answer: Keytrudda\n"
        "     Almost: a near miss is marked wrong in a quiz\n     Right answer: Keytruda\n"
    ) in text
