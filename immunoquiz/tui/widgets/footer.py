"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's ``Footer``, cheaper to keep up to date over a long session.

    Textual 8.2.8's footer rebuilds all its keys whenever the screen's
    bindings may have changed, which is on every change of focus too: about
    seven times a card in the study screen, where the keys shown change only
    twice. And each rebuilt key binds the footer's ``compact`` with a watcher
    kept on the footer, dropped only when ``compact`` changes (it never does),
    while every new binding scans the whole list: it grew by about 50 a card,
    and the rating key's latency with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None

    def _keys_to_show(self) -> tuple[object, ...]:
        """What ``Footer.compose`` reads, to tell whether a rebuild would change anything."""
        bindings = tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        return (self._bindings_ready, self.show_command_palette, self.combine_groups, bindings)

    async def recompose(self) -> None:
        """Rebuild the keys if they changed, then forget the watchers of the keys removed."""
        if not self.is_attached:  # queued before its screen went away
            return
        shown = self._keys_to_show()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]
