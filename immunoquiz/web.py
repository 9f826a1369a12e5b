"""The study app in a web browser, through textual-serve: one app process for each tab, on one learner's database.

textual-serve (the ``web`` extra) runs the app command given to it in a
shell for each browser tab that connects, and relays the tab's keys and the
app's screen over a websocket. There is no login: whoever can reach the port
studies as the learner. Two guards keep that to the people who can reach the
port: a websocket opened by another site's page (its ``Origin`` is not the
page's own) is refused, and when bound to this machine alone, so is a request
addressed to another host name (a DNS rebinding attack).
"""

from __future__ import annotations

import errno
import ipaddress
import os
import shlex
import socket
import subprocess
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

LOOPBACK_NAMES = frozenset({"localhost", "localhost."})


class BindError(Exception):
    """The address cannot be served on: unknown host, not this machine's, or the port taken."""


def app_command(argv: Sequence[str]) -> str:
    """The app's argument vector as one command line for the shell textual-serve runs it in, every word quoted."""
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine alone (``localhost``, ``127.0.0.1``, ``::1``)."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, port: int) -> bool:
    """Bind ``host:port`` once and let it go, so that a failure is said before the server starts.

    Returns:
        Whether every address ``host`` resolves to is a loopback one.

    Raises:
        BindError: With the reason, for people.
    """
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror:
        raise BindError(f"--host {host}: no such host or address") from None
    for family, kind, protocol, _name, address in found:
        with socket.socket(family, kind, protocol) as probe:
            # As aiohttp binds: a port left in TIME_WAIT by an earlier run is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    raise BindError(f"--port {port}: the port is in use on {host}; choose another") from None
                raise BindError(f"--host {host}: cannot listen there ({exc.strerror or exc})") from None
    return all(ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback for *_, address in found)


class AppServer(Server):
    """textual-serve's server, with the page addressed as the browser reached it, and the two guards."""

    def __init__(
        self, command: str, host: str, port: int, title: str, announce: Callable[[], None], local_only: bool
    ) -> None:
        """Serve ``command`` for each tab on ``host:port``.

        Args:
            command: The shell command line of the app for each tab.
            host: The address to listen on.
            port: The port.
            title: The page's title.
            announce: Says where the app is served, once listening.
            local_only: Whether ``host`` is this machine alone: then only its
                names (loopback ones and ``host``) may address a request.
        """
        super().__init__(command, host=host, port=port, title=title)
        self._announce = announce
        self._local_only = local_only

    async def on_startup(self, app: web.Application) -> None:
        """Say where the app is served (instead of textual-serve's banner)."""
        self._announce()

    def _refuse_foreign(self, request: web.Request) -> None:
        named = request.url.host or ""
        if self._local_only and not (is_loopback(named) or named.lower() == self.host.lower()):
            raise web.HTTPForbidden(text=f"immunoquiz serves {self.host} only")

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, its websocket and files addressed by the host the browser asked for.

        textual-serve writes the bound address instead, which a browser
        cannot use for ``0.0.0.0``, and which is another origin than the page
        when the page was opened as ``localhost``.
        """
        self._refuse_foreign(request)
        secure = request.scheme == "https"
        base = f"{request.scheme}://{request.host}"
        return {
            "font_size": 16,
            "app_websocket_url": f"{'wss' if secure else 'ws'}://{request.host}/ws",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start an app for a tab of this page; a websocket opened from another site's page is refused."""
        self._refuse_foreign(request)
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            raise web.HTTPForbidden(text="a page of another site cannot open this app")
        return await super().handle_websocket(request)
