"""How the learner answers a card: a text box, a list of options, or a list to put in order.

Each widget posts ``Answered`` with the answer line the core grader expects
(the text typed, option letters such as ``a c``, or item numbers such as
``2 1 3 4``), or ``GiveUp`` to see the answer without answering.
``AnswerPanel`` holds the three, shows the one a prompt needs with its hint,
and posts a single ``AnswerPanel.Given`` up to the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from immunoquiz.core.feedback import Feedback
from immunoquiz.core.model import NO_SOURCE
from immunoquiz.core.present import LETTERS, Prompt


def set_shown(widget: Widget, shown: bool) -> None:
    """Show or hide a widget, touching its styles only on a change (a restyle costs a few ms)."""
    if widget.display != shown:
        widget.display = shown


def scroll_card(card: Widget, direction: int, page: bool) -> None:
    """Scroll a card's text by a line or a page, down (1) or up (-1)."""
    if page:
        card.scroll_page_down(animate=False) if direction > 0 else card.scroll_page_up(animate=False)
    else:
        card.scroll_relative(y=direction, animate=False)


def show_verdict(widget: Static, feedback: Feedback) -> None:
    """Put the verdict in a widget, in words and a symbol (never colour alone); hidden without one."""
    set_shown(widget, feedback.tone is not None)
    if feedback.tone is None:
        return
    widget.set_class(feedback.tone == "right", "-right")
    widget.set_class(feedback.tone in ("partly", "almost"), "-partly")
    widget.set_class(feedback.tone in ("wrong", "unanswered"), "-wrong")
    widget.update(
        Content.from_markup(
            "[b]$headline[/b]$credit$given",
            headline=feedback.headline,
            credit=f" ({feedback.credit})" if feedback.credit else "",
            given="" if feedback.given is None else f" — you answered: {feedback.given}",
        )
    )


# The indent of a quote's further passages, under its first.
_UNDER_SOURCE = " " * len("Source: ")


def answer_side(feedback: Feedback) -> list[Content]:
    """The lines after the verdict: the right answer (an order also in the numbers shown), source and explanation."""
    if feedback.right_order:
        parts = [Content.from_markup("[b]Right order:[/b]")]
        parts += [Content.assemble(f"  {n}. ", item) for n, item in enumerate(feedback.right_order, 1)]
        if feedback.numbering is not None:
            parts.append(Content.from_markup("[b]In the numbers shown:[/b] $line", line=feedback.numbering))
    else:
        parts = [Content.from_markup("[b]Answer:[/b] $answer", answer=feedback.expected)]
    if feedback.reason:
        parts.insert(0, Content.from_markup("[b]Because[/b] $reason.", reason=feedback.reason))
    if feedback.diff:
        # Card text as plain Content pieces with styles, never parsed as markup.
        marks = {"same": "", "typed": "strike", "answer": "bold underline"}
        pieces = [(segment.text, marks[segment.kind]) for segment in feedback.diff]
        parts.insert(0, Content.assemble(("Your answer against it: ", "bold"), *pieces))
    if feedback.quotes:
        # One passage a line (several for a bullet list), under the first.
        first, *more = feedback.quotes
        parts.append(Content.from_markup("[b]Source:[/b] [i]“$quote”[/i]", quote=first))
        parts += [Content.assemble(_UNDER_SOURCE, (f"“{quote}”", "italic")) for quote in more]
    else:
        parts.append(Content.from_markup("[b]Source:[/b] $source", source=NO_SOURCE))
    if feedback.explain:
        parts.append(Content.from_markup("[b]Why:[/b] $explain", explain=feedback.explain))
    return parts


class Answered(Message):
    """The learner gave an answer.

    Args:
        given: The answer line, as ``Session.check`` takes it.
    """

    def __init__(self, given: str) -> None:
        super().__init__()
        self.given = given


class GiveUp(Message):
    """The learner asked to see the answer without answering."""


class AnswerInput(Input):
    """The box for typed and numeric answers.

    Enter submits (handled as ``Input.Submitted`` by the screen); Space in an
    empty box shows the answer, so that Space reveals every kind of card.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check answer", key_display="Enter"),
        Binding("escape", "leave", "Leave the box"),
    ]

    def check_consume_key(self, key: str, character: str | None) -> bool:
        # Textual finds no character for "minus", so the footer would offer "- Bury" while it types a "-".
        return key == "minus" or super().check_consume_key(key, character)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "space" and not self.value:
            event.stop()
            event.prevent_default()
            self.post_message(GiveUp())
            return
        await super()._on_key(event)

    def action_leave(self) -> None:
        """Give the keys back to the screen (u, !, - and e type letters while in the box)."""
        self.screen.set_focus(None)


class ItemList(Widget, can_focus=True):
    """A list of card text with a cursor, rendered literally (never as markup)."""

    cursor: reactive[int] = reactive(0)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[str] = []

    def set_items(self, items: list[str]) -> None:
        """Show new items, with the cursor on the first."""
        self.items = list(items)
        self.cursor = 0
        self.refresh(layout=True)

    def _line(self, index: int) -> Content:
        return Content(self.items[index])

    def render(self) -> Content:
        lines = []
        for index in range(len(self.items)):
            marker = ("▸ ", "bold $accent") if index == self.cursor and self.has_focus else ("  ", "")
            line = Content.assemble(marker, self._line(index))
            if index == self.cursor and self.has_focus:
                line = line.stylize("reverse")
            lines.append(line)
        return Content("\n").join(lines)

    def watch_cursor(self) -> None:
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def action_cursor_up(self) -> None:
        """Move the cursor up."""
        self.cursor = max(0, self.cursor - 1)

    def action_cursor_down(self) -> None:
        """Move the cursor down."""
        self.cursor = min(len(self.items) - 1, self.cursor + 1)


class ChoiceList(ItemList):
    """Options labelled a, b, c...: a letter or its number answers (or toggles, for several answers)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("enter", "submit", "Answer", key_display="Enter"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.multi = False
        self.picked: set[int] = set()
        self.right: set[int] | None = None

    def set_options(self, options: list[str], multi: bool) -> None:
        """Show a card's options (in the order the core shuffled them)."""
        self.multi = multi
        self.picked = set()
        self.right = None
        self.set_items(options)

    def _line(self, index: int) -> Content:
        box = ("[x] " if index in self.picked else "[ ] ") if self.multi else ""
        line = Content.assemble((f"{box}{LETTERS[index]}) ", "bold"), self.items[index])
        if self.right is None:
            return line
        if index in self.right:
            return Content.assemble(line, ("  ✓ right", "bold $text-success"))
        if index in self.picked:
            return Content.assemble(line, ("  ✗ your pick", "bold $text-error"))
        return line

    def show_marks(self, answers: tuple[str, ...], given: str | None) -> None:
        """After the answer: mark the right options, and the learner's wrong picks."""
        self.right = {n for n, option in enumerate(self.items) if option in answers}
        picked = (given or "").split()
        self.picked = {LETTERS.index(p) for p in picked if len(p) == 1 and p in LETTERS}
        self.refresh(layout=True)

    def _index_of(self, event: events.Key) -> int | None:
        char = event.character or ""
        if len(char) == 1 and char.isdigit() and char != "0":
            index = int(char) - 1
        elif len(char) == 1 and char in LETTERS:
            index = LETTERS.index(char)
        else:
            return None
        return index if index < len(self.items) else None

    async def _on_key(self, event: events.Key) -> None:
        index = self._index_of(event)
        if index is None or self.right is not None:  # answered: the keys rate now
            return
        event.stop()
        event.prevent_default()
        self.cursor = index
        if self.multi:
            self.picked ^= {index}
            self.refresh(layout=True)
        else:
            self.post_message(Answered(LETTERS[index]))

    def action_submit(self) -> None:
        """Answer with the option under the cursor, or the options ticked."""
        if self.right is not None:
            return
        if self.multi:
            self.post_message(Answered(" ".join(LETTERS[i] for i in sorted(self.picked))))
        else:
            self.post_message(Answered(LETTERS[self.cursor]))


class OrderingList(ItemList):
    """Items to put in order: move the highlighted one with shift+up/down (or k/j), Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("shift+up,k", "move(-1)", "Move up", key_display="⇧↑/k"),
        Binding("shift+down,j", "move(1)", "Move down", key_display="⇧↓/j"),
        Binding("enter", "submit", "Submit order", key_display="Enter"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.numbers: list[int] = []

    def set_order(self, items: list[str]) -> None:
        """Show the items as the core shuffled them; they keep their shown numbers while moved."""
        self.numbers = list(range(1, len(items) + 1))
        self.set_items(items)

    def _line(self, index: int) -> Content:
        # The number an item was shown with, not its place: the answer line and the verdict speak of those.
        return Content.assemble((f"{self.numbers[index]}. ", "bold"), self.items[index])

    def action_move(self, step: int) -> None:
        """Move the highlighted item up (-1) or down (1)."""
        here, there = self.cursor, self.cursor + step
        if not 0 <= there < len(self.items):
            return
        self.items[here], self.items[there] = self.items[there], self.items[here]
        self.numbers[here], self.numbers[there] = self.numbers[there], self.numbers[here]
        self.cursor = there
        self.refresh()

    def answer_line(self) -> str:
        """The shown numbers of the items in the chosen order, such as ``2 1 3 4``."""
        return " ".join(str(n) for n in self.numbers)

    def action_submit(self) -> None:
        """Submit the order."""
        self.post_message(Answered(self.answer_line()))


class AnswerPanel(Widget):
    """The answer area for a prompt: the box, the options or the items to order, and a hint below.

    ``ask`` shows the widget the prompt's kind needs (none for ``self`` cards)
    and focuses it; whatever the learner does there comes up as one
    ``AnswerPanel.Given`` message, with ``None`` for giving up.

    Args:
        hint: The hint under a prompt: what to press (``feedback.key_hint``).
        commands: Lines that, typed in the box, are not answers but commands
            to the screen (such as ``p`` to pause): they clear the box and come
            up as ``AnswerPanel.Command``.
        id: The widget's id.
    """

    DEFAULT_CSS = """
    AnswerPanel {
        height: auto;
    }
    AnswerPanel > #typed {
        width: 60;
        max-width: 100%;
    }
    AnswerPanel > #choice, AnswerPanel > #ordering {
        height: auto;
        margin-bottom: 1;
    }
    AnswerPanel > #choice.-answered {
        margin-bottom: 0;  /* what follows the panel keeps its own margin: no double gap */
    }
    AnswerPanel > #hint {
        color: $text-muted;
    }
    """

    class Given(Message):
        """The learner answered the prompt, or gave up.

        Args:
            given: The answer line, as the core grader takes it; None when
                the learner gave up (asked to see the answer without answering).
        """

        def __init__(self, given: str | None) -> None:
            super().__init__()
            self.given = given

    class Command(Message):
        """One of the panel's command lines was typed in the box.

        Args:
            command: The command, as given to the panel (such as ``p``).
        """

        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    def __init__(self, hint: Callable[[Prompt], str], *, commands: Collection[str] = (), id: str | None = None) -> None:
        super().__init__(id=id)
        self.hint = hint
        self.commands = commands
        self.prompt: Prompt | None = None

    def compose(self) -> ComposeResult:
        yield AnswerInput(id="typed", placeholder="your answer")
        yield ChoiceList(id="choice")
        yield OrderingList(id="ordering")
        yield Static(id="hint")

    def ask(self, prompt: Prompt) -> None:
        """Show the widget for a prompt (fresh), its hint, and focus it."""
        self.prompt = prompt
        set_shown(self, True)
        typed = self.query_one("#typed", AnswerInput)
        choice = self.query_one("#choice", ChoiceList)
        # On the list, not the panel: a class change restyles the whole subtree, and only a choice card sets it.
        choice.remove_class("-answered")
        ordering = self.query_one("#ordering", OrderingList)
        set_shown(typed, prompt.kind in ("typed", "numeric"))
        set_shown(choice, prompt.kind == "choice")
        set_shown(ordering, prompt.kind == "ordering")
        hint = self.query_one("#hint", Static)
        hint.update(Content(self.hint(prompt)))
        set_shown(hint, True)
        if prompt.kind in ("typed", "numeric"):
            typed.value = ""
            typed.placeholder = "a number" if prompt.kind == "numeric" else "your answer"
        elif prompt.kind == "choice":
            choice.set_options(list(prompt.options), prompt.multi)
        elif prompt.kind == "ordering":
            ordering.set_order(list(prompt.options))
        self.focus_answer()

    def focus_answer(self) -> None:
        """Focus the widget the prompt is answered with (none for a ``self`` card)."""
        kind = self.prompt.kind if self.prompt is not None else "self"
        target = {"typed": "#typed", "numeric": "#typed", "choice": "#choice", "ordering": "#ordering"}.get(kind)
        if target is None:
            self.screen.set_focus(None)
        else:
            self.query_one(target).focus()

    def box_text(self) -> str:
        """What is typed in the box so far."""
        return self.query_one("#typed", AnswerInput).value

    def show_answered(self, given: str | None) -> None:
        """After the answer: hide the box, the items and the hint; a choice keeps its options, marked."""
        set_shown(self.query_one("#typed", AnswerInput), False)
        set_shown(self.query_one("#ordering", OrderingList), False)
        set_shown(self.query_one("#hint", Static), False)
        if self.prompt is not None and self.prompt.kind == "choice":
            choice = self.query_one("#choice", ChoiceList)
            choice.add_class("-answered")
            choice.show_marks(self.prompt.answers, given)
        else:
            set_shown(self, False)  # empty, it would keep the margins around it apart

    def clear(self, note: Content | None = None) -> None:
        """No prompt: hide the answer widgets, and show ``note`` in place of the hint (or nothing)."""
        self.prompt = None
        for widget_id in ("#typed", "#choice", "#ordering"):
            self.query_one(widget_id).display = False
        hint = self.query_one("#hint", Static)
        hint.display = self.display = note is not None
        if note is not None:
            hint.update(note)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip().lower()
        if line in self.commands:
            event.input.value = ""
            self.post_message(self.Command(line))
            return
        self.post_message(self.Given(event.value))

    @on(Answered)
    def _answered(self, message: Answered) -> None:
        message.stop()
        self.post_message(self.Given(message.given))

    @on(GiveUp)
    def _give_up(self, message: GiveUp) -> None:
        message.stop()
        self.post_message(self.Given(None))
