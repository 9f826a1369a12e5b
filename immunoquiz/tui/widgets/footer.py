"""The footer of every screen: Textual's, without the watchers its old keys leave behind."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's ``Footer``, whose recompose no longer slows down as a session goes on.

    Textual 8.2.8's footer recomposes whenever the screen's keys change (twice
    a card in the study screen, where only the keys that work are shown), and
    each new key binds the footer's ``compact`` with a watcher kept on the
    footer. Those of removed keys are dropped only when ``compact`` changes,
    which never happens, and every new binding scans the whole list: it grew
    by about 50 a card, and the rating key's latency with it.
    """

    async def recompose(self) -> None:
        """Recompose the keys, then forget the watchers of the keys removed."""
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
