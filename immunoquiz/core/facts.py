"""What a card teaches and shows, and the cards that repeat or give away another's answer.

A card *teaches* one (passage, answer) pair per passage of its quote and
answer: the passage as the provenance check folds it (``normalise_quote``)
and the answer as grading compares answers (``normalise_answer``). It *shows* its question texts (a
cloze shows its whole text: each of its siblings shows the others'
deletions). Two cards are one fact when they teach a pair in common, and a
card gives away another's answer when that answer, as a phrase of whole
words, is among what it shows.

A quiz keeps both off one paper (``CardFact.clashes``); ``immunoquiz check``
reports, across every deck it reads, a card that teaches the fact of another
and a card that shows the answer of another quoting the same passage (a
passage of one holding one of the other), with ``overlaps``. Both use the rule below, written
once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from immunoquiz.core.distractors import normalised_quotes, word_list
from immunoquiz.core.model import Basic, Card, Cloze, Ordering, alternatives
from immunoquiz.core.text import normalise_answer


def _phrase(words: Sequence[str]) -> str:
    """Words between spaces, to find one phrase inside another at word boundaries."""
    return " " + " ".join(words) + " "


@dataclass(frozen=True, slots=True)
class CardFact:
    """What a card teaches and shows.

    Attributes:
        keys: The deck's ``fact``, and its (passage, answer) pairs.
        answers: Its answers, each as its folded words (see ``distractors.word_list``).
        shown: Its question texts as one phrase of folded words.
        answer_texts: Its answers as written, in the order of ``answers``.
        taught: Its (passage, answer) pairs, passage by passage, each in the order of ``answers``.
        quotes: Its passages as the provenance check folds them; none for a card without a quote.
    """

    keys: frozenset[object]
    answers: tuple[tuple[str, ...], ...]
    shown: str
    answer_texts: tuple[str, ...]
    taught: tuple[object, ...]
    quotes: tuple[str, ...]

    def taught_answers(self) -> Iterator[tuple[object, str]]:
        """Each (passage, answer) pair of ``taught`` with its answer as written."""
        return zip(self.taught, self.answer_texts * max(1, len(self.quotes)), strict=True)

    def shows_answer_of(self, other: CardFact) -> str | None:
        """The first answer of ``other`` that this card's texts show, as written; None if none."""
        for words, text in zip(other.answers, other.answer_texts, strict=True):
            if words and _phrase(words) in self.shown:
                return text
        return None

    def clashes(self, other: CardFact) -> bool:
        """Whether both teach one fact, or either's question shows the other's answer."""
        if not self.keys.isdisjoint(other.keys):
            return True
        return self.shows_answer_of(other) is not None or other.shows_answer_of(self) is not None


def card_fact(card: Card) -> CardFact:
    """What ``card`` teaches and shows (see the module docstring).

    Args:
        card: Any card.

    Returns:
        Its fact; an ordering card teaches no answer (its items are shown).
    """
    body = card.body
    answers: tuple[str, ...]
    if isinstance(body, Cloze):
        answers = tuple(alt for d in body.deletions for alt in alternatives(d.answer))
        shown = [body.prompt(0)]
    elif isinstance(body, Basic):
        answers = (body.back, body.front) if body.reverse else (body.back,)
        shown = [body.front, body.back] if body.reverse else [body.front]
    elif isinstance(body, Ordering):
        answers, shown = (), [body.question]
    else:
        answers, shown = card.answer_texts(), [body.question]
    quotes = normalised_quotes(card)
    # A card of an unsourced deck has no quote to share: its answers are its own fact.
    passages: tuple[object, ...] = quotes or (("card", card.deck_id, card.id),)
    taught = tuple(("answer", passage, normalise_answer(answer)) for passage in passages for answer in answers)
    declared = () if card.quiz.fact is None else (("fact", card.quiz.fact),)
    return CardFact(
        frozenset((*taught, *declared)),
        tuple(tuple(word_list(a)) for a in answers),
        _phrase(word_list(" ".join(shown))),
        answers,
        taught,
        quotes,
    )


OverlapKind = Literal["same-fact", "shows-answer"]


@dataclass(frozen=True, slots=True)
class Overlap:
    """A card that repeats, or gives away, what other cards teach.

    Attributes:
        kind: ``same-fact`` (the same quote and answer) or ``shows-answer``
            (its texts show the other's answer, and both quote one passage).
        card: The card at fault: the later one for ``same-fact``, the one
            whose text shows the answers for ``shows-answer``.
        others: The cards it overlaps with, in reading order.
        answer: The answer in common with the first of ``others`` (as ``card``
            writes it), or the first's answer shown (as that card writes it).
    """

    kind: OverlapKind
    card: Card
    others: tuple[Card, ...]
    answer: str


_WORD = re.compile(r"[^\W_]+")


def overlaps(cards: Sequence[Card]) -> list[Overlap]:
    """Every card that teaches the fact of an earlier card, or shows another's answer from the same passage.

    Cards are indexed by quote, so the cost follows the cards and what they
    share, not every pair of cards: a card is compared only with the cards
    quoting its passage, and its shown text is looked up phrase by phrase
    among their answers. A card without a quote (an unsourced deck's)
    overlaps with none. A pair that is one fact is not also reported as
    showing its answer.

    Args:
        cards: The cards of every deck checked together, in reading order.

    Returns:
        At most one overlap of each kind per card, in the order of ``cards``.
    """
    facts = [card_fact(card) for card in cards]
    found: list[Overlap] = []
    first: dict[object, int] = {}
    for index, fact in enumerate(facts):
        if not fact.quotes:
            continue
        earlier: dict[int, str] = {}
        for key, text in fact.taught_answers():
            if key in first:
                earlier.setdefault(first[key], text)
            else:
                first[key] = index
        if earlier:
            numbers = sorted(earlier)
            found.append(Overlap("same-fact", cards[index], tuple(cards[n] for n in numbers), earlier[numbers[0]]))
    found.extend(_shown_answers(cards, facts))
    order = {id(card): n for n, card in enumerate(cards)}
    found.sort(key=lambda o: (order[id(o.card)], o.kind))
    return found


def _shown_answers(cards: Sequence[Card], facts: list[CardFact]) -> Iterator[Overlap]:
    by_quote: dict[str, list[int]] = {}
    for index, fact in enumerate(facts):
        for quote in fact.quotes:
            by_quote.setdefault(quote, []).append(index)
    related = _related_quotes(list(by_quote))
    taught = [frozenset(fact.taught) for fact in facts]
    # Per quote: each answer phrase (a tuple of words) with the cards it answers, grouped by what
    # they teach (cards teaching one fact pass or fail together), and the phrases' lengths by
    # first word, so that most words of a text are passed over at once.
    answers: dict[str, dict[tuple[str, ...], dict[frozenset[object], list[int]]]] = {}
    lengths: dict[str, dict[str, set[int]]] = {}
    for quote, members in by_quote.items():
        index_of = answers[quote] = {}
        starts = lengths[quote] = {}
        for member in members:
            for words in facts[member].answers:
                if words:
                    index_of.setdefault(words, {}).setdefault(taught[member], []).append(member)
                    starts.setdefault(words[0], set()).add(len(words))
    for index, fact in enumerate(facts):
        if not fact.quotes:
            continue
        shown = fact.shown.split()
        own = taught[index]
        hits: set[int] = set()
        for passage in dict.fromkeys(p for quote in fact.quotes for p in related[quote]):
            index_of, starts = answers[passage], lengths[passage]
            for start, word in enumerate(shown):
                for length in starts.get(word, ()):
                    for keys, members in index_of.get(tuple(shown[start : start + length]), {}).items():
                        if own.isdisjoint(keys):
                            hits.update(members)
        hits.discard(index)
        if hits:
            numbers = sorted(hits)
            answer = fact.shows_answer_of(facts[numbers[0]]) or ""
            yield Overlap("shows-answer", cards[index], tuple(cards[n] for n in numbers), answer)


def _related_quotes(quotes: list[str]) -> dict[str, list[str]]:
    """Each quote with the quotes that hold it or that it holds (itself included).

    A quote held in another has its inner words (all but the first and last,
    which may be cut mid-word) whole in it: each quote is compared only with
    the quotes holding its rarest inner word, not with every other quote.
    """
    words_of = {quote: set(_WORD.findall(quote)) for quote in quotes}
    holding: dict[str, list[str]] = {}
    for quote, words in words_of.items():
        for word in words:
            holding.setdefault(word, []).append(quote)
    related: dict[str, list[str]] = {quote: [quote] for quote in quotes}
    for quote in quotes:
        inner = _WORD.findall(quote)[1:-1]
        candidates = min((holding[word] for word in inner), key=len) if inner else quotes
        for other in candidates:
            if other is not quote and other != quote and quote in other:
                related[quote].append(other)
                related[other].append(quote)
    return related
