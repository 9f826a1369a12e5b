"""The ``immunoquiz`` command line.

Commands import what they need when they run, so that ``--help``, ``check``
and the line mode stay fast and never load Textual.

``--db``, ``--profile`` and ``--decks`` are accepted both before a command
and after it (``immunoquiz stats --json --db x.db``).
"""

from __future__ import annotations

import errno
import gc
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar

import click

from immunoquiz import __version__

if TYPE_CHECKING:
    from immunoquiz.core.options import DeckOptions
    from immunoquiz.core.quiz import Paper
    from immunoquiz.core.store import Store
    from immunoquiz.core.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])
_T = TypeVar("_T")


@dataclass
class Context:
    """Where the learner's data lives, gathered from the options."""

    db: Path | None = None
    profile: str | None = None
    decks: list[Path] = field(default_factory=list)
    create: bool = False

    def merged(self, db: Path | None, profile: str | None, decks: tuple[Path, ...], create: bool = False) -> Context:
        """These options with a command's own given after its name."""
        return Context(
            db or self.db,
            profile if profile is not None else self.profile,
            [*self.decks, *decks],
            create or self.create,
        )

    def db_path(self, make_folder: bool = True) -> Path:
        """The database file: ``--db``, else ``--profile``, else ``IMMUNOQUIZ_DB``, else the default.

        Only the data folder of immunoquiz's own is ever created (unless
        ``make_folder`` is False, for a command that only reads): a folder
        named by ``--db`` or ``IMMUNOQUIZ_DB`` must exist (a typo must not
        make folders), and a profile exists only once made with ``--create``.
        Exits with one line when the path cannot be used.
        """
        from immunoquiz.paths import PROFILE_NAME, data_dir, env_db_path, profile_db_path, profiles

        if self.db is not None:
            return _in_existing_folder(self.db.expanduser(), f"--db {self.db}")
        if self.profile is not None:
            if not PROFILE_NAME.fullmatch(self.profile):
                fail(
                    f"--profile {self.profile}: a profile name is 1 to 64 lower-case letters, digits, - or _"
                    " (such as ana or year-2)"
                )
            path = profile_db_path(self.profile)
            if not path.exists() and not self.create:
                known = profiles()
                listed = f"profiles: {', '.join(known)}" if known else "there is none yet"
                fail(f"--profile {self.profile}: no such profile ({listed}); add --create to make it")
        else:
            env = env_db_path()
            if env is not None:
                return _in_existing_folder(env, f"IMMUNOQUIZ_DB={env}")
            path = data_dir() / "immunoquiz.db"
        if make_folder:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                fail(
                    f"{path.parent}: cannot make the data folder ({exc.strerror or exc}):"
                    " make sure its parent is a folder you can write to, or choose a database with --db"
                )
        return path

    def deck_targets(self) -> list[Path]:
        """The decks a command that reads deck files alone uses: bundled, remembered (those there), ``--decks``.

        The database is only read (never made): each remembered path that has
        gone is said on standard error.
        """
        import sqlite3

        from immunoquiz.core.deckfiles import missing_notice
        from immunoquiz.core.peek import remembered_in
        from immunoquiz.core.store import describe_error
        from immunoquiz.core.text import visible
        from immunoquiz.paths import bundled_decks_dir

        path = self.db_path(make_folder=False)
        try:
            remembered = remembered_in(path)
        except sqlite3.Error as exc:
            click.echo(f"immunoquiz: note: remembered decks not read from {path}: {describe_error(exc)}", err=True)
            remembered = []
        for place in remembered:
            if not place.exists():
                click.echo(f"immunoquiz: {visible(missing_notice(place))}", err=True)
        return [bundled_decks_dir(), *(place for place in remembered if place.exists()), *self.decks]


def _completion_db(ctx: click.Context) -> tuple[Path, list[Path]] | None:
    """The database and ``--decks`` paths a command line being completed names so far (None: no database)."""
    from immunoquiz.paths import PROFILE_NAME, default_db_path, profile_db_path

    db: Path | None = None
    profile: str | None = None
    dirs: list[Path] = []
    node: click.Context | None = ctx
    while node is not None:  # the command's own options first, then the group's
        db = db or node.params.get("db")
        profile = profile or node.params.get("profile")
        dirs += node.params.get("deck_dirs") or ()
        node = node.parent
    if db is not None:
        return Path(db).expanduser(), dirs
    if profile is None:
        return default_db_path(), dirs
    return (profile_db_path(profile), dirs) if PROFILE_NAME.fullmatch(profile) else None


def _completion_names(ctx: click.Context) -> tuple[list[str], list[str]]:
    """The deck ids and tags to complete, as the learner's database last synced them.

    Completion runs on every Tab: the database is only read (no sync, nothing
    made), and one that is missing or broken completes nothing rather than
    print a traceback into the shell.
    """
    try:
        from immunoquiz.core.peek import deck_and_tag_names
        from immunoquiz.paths import bundled_decks_dir

        found = _completion_db(ctx)
        if found is None:
            return [], []
        db, dirs = found
        return deck_and_tag_names(db, [bundled_decks_dir().resolve(), *(d.expanduser().resolve() for d in dirs)])
    except Exception:
        return [], []


def _complete_deck_ids(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    return [deck for deck in _completion_names(ctx)[0] if deck.startswith(incomplete)]


def _complete_tags(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    return [tag for tag in _completion_names(ctx)[1] if tag.startswith(incomplete)]


def _complete_deck_or_file(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    # Click turns strings into items only when the first result is one: every result is an item here.
    ids = _complete_deck_ids(ctx, param, incomplete)
    return [*(CompletionItem(deck) for deck in ids), CompletionItem(incomplete, type="file")]


def _complete_places(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    try:
        from immunoquiz.core.peek import remembered_in

        found = _completion_db(ctx)
        places = [str(place) for place in remembered_in(found[0])] if found is not None else []
    except Exception:
        places = []
    matching = [CompletionItem(place) for place in places if place.startswith(incomplete)]
    return [*matching, CompletionItem(incomplete, type="file")]


def deck_option(help_text: str) -> Callable[[F], F]:
    """The repeatable ``--deck ID`` option of a command, completing deck ids."""
    return click.option(
        "--deck", "decks", multiple=True, metavar="ID", shell_complete=_complete_deck_ids, help=help_text
    )


def tag_option(help_text: str) -> Callable[[F], F]:
    """The repeatable ``--tag TAG`` option of a command, completing tags."""
    return click.option("--tag", "tags", multiple=True, metavar="TAG", shell_complete=_complete_tags, help=help_text)


def _in_existing_folder(path: Path, named: str) -> Path:
    """``path``, or exit if its folder does not exist."""
    if not path.parent.is_dir():
        fail(f"{named}: there is no folder {path.parent}: create it first, or choose another path")
    return path


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line for people on standard error and exit."""
    click.echo(f"immunoquiz: error: {' '.join(message.split())}", err=True)
    sys.exit(code)


def refuse_target(output: Path, force: bool = True) -> None:
    """Exit with one line if ``output`` is not a regular file, or (without ``force``) exists already.

    Called before any work, so that a refused file costs nothing; ``write_file`` refuses the first again.
    """
    from immunoquiz.core.text import visible

    if output.exists() and not output.is_file():
        # The file is moved into place: over /dev/null or a pipe, it would replace the device, not write to it.
        fail(f"-o {visible(str(output))}: not a regular file (a folder, device or pipe): give a file's path")
    if output.exists() and not force:
        fail(f"-o {visible(str(output))}: the file exists; choose another name, or add --force to overwrite it")


# A write that fails for want of room: the fix is room, not the folder.
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def write_file(output: Path, write: Callable[[Path], _T]) -> _T:
    """Write ``output`` whole or not at all, or exit with one line naming it and the fix.

    ``write`` writes the content to the path it is given: a new file beside
    ``output``, moved over it once written and flushed to the disk, so that a
    full disk or an error halfway leaves the file that was there (or none),
    never half of one. The new file is made with the umask's permissions, as
    ``open`` makes one (a file overwritten keeps its own).

    Returns:
        What ``write`` returned.
    """
    import secrets

    refuse_target(output)
    target = output.resolve()  # through a symbolic link, as open writes
    kept_mode = target.stat().st_mode & 0o7777 if target.exists() else None
    temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        # Not tempfile.mkstemp: its files are 0600 whatever the umask.
        os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        _write_failed(output, exc)
    try:
        if kept_mode is not None:
            os.chmod(temporary, kept_mode)
        written = write(temporary)
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            _write_failed(output, exc)
        raise
    return written


def _write_failed(output: Path, exc: OSError) -> NoReturn:
    from immunoquiz.core.text import visible

    fix = (
        "make room on the disk, or write it elsewhere"
        if exc.errno in _NO_ROOM
        else "check the folder exists and is writable"
    )
    fail(f"-o {visible(str(output))}: cannot write it ({exc.strerror or exc}): {fix}")


_CREATE_PROFILE = "immunoquiz.create-profile"


def _remember_create(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # Kept in the meta shared by the group and its command, so no command's signature carries it.
    if value:
        ctx.meta[_CREATE_PROFILE] = True


# The driver textual-serve starts each tab's app with.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def terminal_problem() -> str | None:
    """Why the study app cannot run here, if it cannot: it needs a real terminal on both ends.

    Without one, Textual draws escape codes into a file or pipe and waits for
    keys that never come.
    """
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return None  # a tab of `immunoquiz serve`: Textual speaks to textual-serve over the pipes
    if os.environ.get("TERM") == "dumb":
        return "TERM=dumb cannot show the study app"
    if not sys.stdin.isatty():
        return "standard input is not a terminal"
    if not sys.stdout.isatty():
        return "standard output is not a terminal"
    return None


def need_terminal(plain: str) -> None:
    """Refuse to open the study app where it cannot run, naming the line-mode command instead."""
    problem = terminal_problem()
    if problem is not None:
        fail(f"{problem}: use --plain (`{plain}`)", 2)


def common_options(func: F) -> F:
    """Add ``--db``, ``--profile`` (with ``--create``) and ``--decks`` to a command."""
    func = click.option(
        "--create",
        is_flag=True,
        expose_value=False,
        callback=_remember_create,
        help="With --profile: make the profile if it does not exist yet.",
    )(func)
    func = click.option(
        "--decks",
        "deck_dirs",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=True),
        help="Also use the decks in DIR for this run (repeatable; `decks add` remembers them).",
    )(func)
    return db_options(func)


def db_options(func: F) -> F:
    """Add ``--db`` and ``--profile``: whose remembered decks (or data) a command uses."""
    func = click.option("--profile", help="Use the separate database of learner NAME.", metavar="NAME")(func)
    func = click.option(
        "--db",
        type=click.Path(path_type=Path),
        help="The database file (default: IMMUNOQUIZ_DB, or the user data folder).",
    )(func)
    return func


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """Turn a database failure (locked, damaged, read-only) into one line and an exit."""
    import sqlite3

    from immunoquiz.core.store import DamagedDatabase, StoreError, describe_error

    try:
        yield
    except DamagedDatabase as exc:
        fail(f"{path}: {exc}")
    except StoreError as exc:
        fail(str(exc))
    except sqlite3.Error as exc:
        fail(f"{path}: {describe_error(exc)}")


# A deck file this big takes a noticeable moment to read (about 0.2 s a megabyte).
ANNOUNCED_DECK_BYTES = 1_000_000


def announce_parse(path: Path, size: int) -> None:
    """Say, on a terminal, why a start with a big new or changed deck takes a moment."""
    if size >= ANNOUNCED_DECK_BYTES and sys.stderr.isatty():
        click.echo(
            f"immunoquiz: reading {path} ({size / 1e6:.1f} MB, new or changed since the last start)...", err=True
        )


def open_for(options: Context) -> Workspace:
    """Open the database and sync the decks, or exit with one line saying why."""
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.workspace import open_workspace
    from immunoquiz.paths import bundled_decks_dir

    for folder in options.decks:
        if not folder.exists():
            fail(f"--decks {folder}: no such file or folder")
    path = options.db_path()
    with database_errors(path):
        workspace = open_workspace(
            path, [bundled_decks_dir()], system_clock, announce_parse, for_this_run=options.decks
        )
    click.get_current_context().call_on_close(workspace.store.close)
    _daily_backup(workspace.store)
    for notice in workspace.notices():
        click.echo(f"immunoquiz: {notice}", err=True)
    return workspace


def line_input() -> TextIO:
    """Standard input for line mode, read as UTF-8 with undecodable bytes replaced.

    A Latin-1 byte typed in an answer then stands as ``\ufffd`` instead of
    ending the session with the answer lost.
    """
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin
    return io.TextIOWrapper(buffer, encoding="utf-8", errors="replace", newline=None)


def _daily_backup(store: Store) -> None:
    """Back the database up once a day, as Anki does; a backup that cannot be made is said, not fatal."""
    from immunoquiz.core.backups import backup_folder, daily_backup
    from immunoquiz.core.clock import system_clock

    try:
        daily_backup(store, system_clock().astimezone())
    except OSError as exc:
        assert store.path is not None
        click.echo(f"immunoquiz: note: no backup made in {backup_folder(store.path)}: {exc.strerror or exc}", err=True)


def _options(ctx: click.Context, db: Path | None, profile: str | None, decks: tuple[Path, ...]) -> Context:
    base = ctx.find_object(Context) or Context()
    return base.merged(db, profile, decks, bool(ctx.meta.get(_CREATE_PROFILE)))


@contextmanager
def _usage_errors_in(ctx: click.Context) -> Iterator[None]:
    try:
        yield
    except click.UsageError as exc:
        exc.ctx = exc.ctx or ctx
        raise


class _Command(click.Command):
    """A command whose usage errors keep its context (click's parser raises some without one)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _usage_errors_in(ctx):
            return super().parse_args(ctx, args)


class _Commands(click.Group):
    """The command group, with a last guard: a database failure that escapes a command is one line, not a traceback.

    Its commands and groups keep their context on the usage errors they
    raise, so the line can name the command's own help.
    """

    command_class = _Command
    group_class = type  # its groups are of this class too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _usage_errors_in(ctx):
            return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        import sqlite3

        from immunoquiz.core.store import StoreError, describe_error

        try:
            return super().invoke(ctx)
        except StoreError as exc:
            fail(str(exc))
        except sqlite3.Error as exc:
            fail(describe_error(exc))


@click.group(cls=_Commands, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="immunoquiz")
@common_options
@click.pass_context
def cli(ctx: click.Context, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]) -> None:
    """Flashcards and quizzes in the terminal, checked against their source.

    Without a command, opens the study app.
    """
    ctx.obj = Context(db, profile, list(deck_dirs), bool(ctx.meta.get(_CREATE_PROFILE)))
    if ctx.invoked_subcommand is None:
        need_terminal("immunoquiz review --plain")
        _open_app(ctx.obj, None)


def _freeze_what_exists() -> None:
    """Freeze the objects made so far, as a front end (the app or line mode) starts its run.

    What exists then (the modules, classes and functions imported, the open
    workspace, the session or paper) lives as long as the run and holds no
    garbage (a collection there finds none): frozen, the collector stops
    walking it. For the app at 10,000 cards that is about 41,000 objects, which
    the launch's one full collection walked during the first card's render
    (about 15 ms) and the interpreter's collections at exit again (about 55 ms
    of quitting); for line mode about 20,000, which the collections at exit
    walked (about 9 ms of a short session's 100). Nothing is lost: they are
    freed when their references go, as before; only a cycle among them, should
    one become garbage, would be left to the end of the process.
    """
    gc.freeze()


def _open_app(options: Context, start: Any, workspace: Workspace | None = None, paper: Paper | None = None) -> None:
    workspace = workspace or open_for(options)
    from immunoquiz.tui.app import run_app

    _freeze_what_exists()
    run_app(workspace, start, paper)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--decks", "deck_dirs", multiple=True, type=click.Path(path_type=Path), help="Also check the decks in DIR."
)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--show-distractors",
    is_flag=True,
    help="Also print, per card, the distractors a quiz would draw (or why it has no choice form).",
)
@db_options
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    deck_dirs: tuple[Path, ...],
    output_format: str,
    strict: bool,
    show_distractors: bool,
    db: Path | None,
    profile: str | None,
) -> None:
    """Check deck files (default: the bundled decks and the remembered ones).

    Problems are printed as path:line:col: error: message. The exit status is
    1 if any error (or, with --strict, any warning) was found. With --decks,
    the bundled decks are read first, as the app loads them: a deck id they
    use, or a card repeating one of theirs, is reported; their own problems
    are not.
    """
    from immunoquiz.core.check import check_paths
    from immunoquiz.paths import bundled_decks_dir

    targets = list(paths) + list(deck_dirs)
    context = [bundled_decks_dir()] if deck_dirs else []
    if not targets:
        targets = _options(ctx, db, profile, ()).deck_targets()
    result = check_paths(targets, strict=strict, context=context, named=paths)
    drawn = result.distractors() if show_distractors else ()
    if output_format == "json":
        report = result.as_dict()
        if show_distractors:
            report["distractors"] = [card.as_dict() for card in drawn]
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for diagnostic in result.diagnostics:
            click.echo(diagnostic.format())
        for card in drawn:
            click.echo(card.format())
        click.echo(result.summary(), err=True)
    sys.exit(1 if result.failed else 0)


@cli.command()
@click.argument("decks", nargs=-1, shell_complete=_complete_deck_or_file)
@click.option(
    "--decks", "deck_dirs", multiple=True, type=click.Path(path_type=Path), help="Also read the decks in DIR."
)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_options
@click.pass_context
def coverage(
    ctx: click.Context,
    decks: tuple[str, ...],
    deck_dirs: tuple[Path, ...],
    output_format: str,
    db: Path | None,
    profile: str | None,
) -> None:
    """Show which sentences of each source no card quotes, and which several cards quote, section by section.

    DECKS are deck ids or deck files (default: every bundled and remembered
    deck, and those in --decks folders).
    """
    from immunoquiz.core.check import check_paths
    from immunoquiz.core.coverage import coverage as cover
    from immunoquiz.core.coverage import coverage_to_json, format_coverage
    from immunoquiz.core.source import SourceCache

    files = [Path(d) for d in decks if Path(d).is_file()]
    ids = [d for d in decks if not Path(d).is_file()]
    for folder in deck_dirs:
        if not folder.exists():
            fail(f"--decks {folder}: no such file or folder")
    every = files if files and not ids else [*_options(ctx, db, profile, deck_dirs).deck_targets(), *files]
    result = check_paths(every)
    for diagnostic in result.diagnostics:
        if diagnostic.severity == "error":
            click.echo(f"immunoquiz: deck not read: {diagnostic.format()}", err=True)
    known = {deck.id: deck for deck in result.decks}
    for deck_id in ids:
        if deck_id not in known:
            fail(f"coverage: no deck or deck file `{deck_id}` (decks: {', '.join(known)})")
    chosen = [known[i] for i in ids] + [d for d in result.decks if d.path in files] if decks else list(result.decks)
    reports = cover(chosen, SourceCache())
    if output_format == "json":
        click.echo(json.dumps(coverage_to_json(reports), indent=2, ensure_ascii=False))
    else:
        click.echo(format_coverage(reports))
    sys.exit(1 if result.errors else 0)


@cli.group()
def db() -> None:
    """Look after the learner's database: check it, back it up."""


@db.command("check")
@common_options
@click.pass_context
def db_check(ctx: click.Context, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]) -> None:
    """Check the database: SQLite's integrity check, then every stored value read back. Exit 1 on a problem."""
    from immunoquiz.core.store import open_store
    from immunoquiz.core.text import visible

    path = _options(ctx, db, profile, deck_dirs).db_path()
    if not path.exists():
        fail(f"{path}: no database here yet")
    with database_errors(path):
        store = open_store(path)
        try:
            found = store.problems()
        finally:
            store.close()
    for problem in found:
        click.echo(f"{path}: {visible(problem)}")
    click.echo(f"{path}: " + (f"{len(found)} problem(s): restore a backup" if found else "no problems"), err=True)
    sys.exit(1 if found else 0)


@db.command("backup")
@click.option("--list", "listing", is_flag=True, help="List the backups kept, oldest first, instead.")
@common_options
@click.pass_context
def db_backup(
    ctx: click.Context, listing: bool, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]
) -> None:
    """Back the database up now (the last 7 backups are kept; one is also made each day and before an upgrade)."""
    from immunoquiz.core.backups import backup_folder, backups, make_backup
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.store import open_store

    path = _options(ctx, db, profile, deck_dirs).db_path()
    if listing:
        kept = backups(path)
        for backup in kept:
            click.echo(backup)
        if not kept:
            click.echo(f"No backup yet in {backup_folder(path)}.", err=True)
        return
    if not path.exists():
        fail(f"{path}: no database here yet")
    with database_errors(path):
        store = open_store(path)
        try:
            made = make_backup(store, system_clock().astimezone())
        except OSError as exc:
            fail(f"{backup_folder(path)}: cannot write the backup ({exc.strerror or exc})")
        finally:
            store.close()
    click.echo(made)


@cli.command()
def profiles() -> None:
    """List the learner profiles (each has its own database: use one with --profile NAME)."""
    from immunoquiz.paths import data_dir
    from immunoquiz.paths import profiles as known

    names = known()
    if not names:
        click.echo(f"No profile yet in {data_dir()}: make one with --profile NAME --create.")
    for name in names:
        click.echo(name)


@cli.group()
def decks() -> None:
    """Remember deck files and folders, so that every command and the app use them (for this profile)."""


@decks.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@common_options
@click.pass_context
def decks_add(
    ctx: click.Context, path: Path, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]
) -> None:
    """Remember a deck file or a folder of deck files (stored resolved, in this learner's database).

    A path remembered already is said, and the exit status is 0.
    """
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.store import open_store
    from immunoquiz.core.text import counted, visible
    from immunoquiz.core.workspace import remember

    options = _options(ctx, db, profile, deck_dirs)
    db_file = options.db_path()
    resolved = path.expanduser().resolve()
    with database_errors(db_file):
        store = open_store(db_file)
        try:
            added = remember(store, path, system_clock())
        except ValueError as exc:
            fail(f"decks add {visible(str(path))}: {exc}")
        finally:
            store.close()
    if not added:
        click.echo(f"immunoquiz: note: {visible(str(resolved))} is remembered already", err=True)
        return
    workspace = open_for(options)
    place = next(place for place in workspace.places() if place.path == resolved)
    ids = f" ({', '.join(place.decks)})" if place.decks else ""
    click.echo(visible(f"Remembered {resolved}: {counted(len(place.decks), 'deck')} loaded{ids}."))


@decks.command("remove")
@click.argument("target", metavar="PATH|ID", shell_complete=_complete_places)
@common_options
@click.pass_context
def decks_remove(
    ctx: click.Context, target: str, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]
) -> None:
    """Forget a remembered deck file or folder, by its path or the id of its deck.

    Its decks' cards and history stay in the database: adding it again brings them back.
    """
    from immunoquiz.core.text import visible

    options = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(options)
    with database_errors(options.db_path()):
        try:
            place = workspace.remembered_place(target)
        except ValueError as exc:
            fail(f"decks remove {visible(target)}: {exc}")
        workspace.store.forget_decks(place)
    click.echo(visible(f"Forgot {place}: its cards and history are kept (`decks add` brings them back)."))


@decks.command("list")
@common_options
@click.pass_context
def decks_list(ctx: click.Context, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]) -> None:
    """List the remembered deck files and folders: each with its decks loaded, or missing."""
    from immunoquiz.core.text import counted, visible

    workspace = open_for(_options(ctx, db, profile, deck_dirs))
    places = workspace.places()
    if not places:
        click.echo("No remembered decks: remember a deck file or folder with `immunoquiz decks add PATH`.", err=True)
    for place in places:
        if not place.exists:
            click.echo(visible(f"{place.path}: missing (its cards are kept)"))
            continue
        ids = f" ({', '.join(place.decks)})" if place.decks else ""
        click.echo(visible(f"{place.path}: {counted(len(place.decks), 'deck')}{ids}"))


@cli.command()
@click.option(
    "--source", "source", required=True, type=click.Path(path_type=Path), help="The source document the deck quotes."
)
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="The deck file to write.")
@click.option("--force", is_flag=True, help="Overwrite the deck file if it exists.")
def new(source: Path, output: Path, force: bool) -> None:
    """Write a starting deck for a source: its keys, the schema line and one commented example card of each type."""
    from immunoquiz.core.source import SourceDocument
    from immunoquiz.core.starter import deck_id_for, starter_deck

    refuse_target(output, force)
    try:
        document = SourceDocument.read(source)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        fail(f"--source {source}: cannot read it ({reason})")
    folder = output.resolve().parent
    schema = Path(__file__).resolve().parent / "schema" / "deck.schema.json"
    text = starter_deck(
        document,
        Path(os.path.relpath(source.resolve(), folder)).as_posix(),
        deck_id_for(output.stem),
        Path(os.path.relpath(schema, folder)).as_posix(),
    )
    write_file(output, lambda path: path.write_text(text, encoding="utf-8"))
    click.echo(f"Wrote {output}: uncomment an example card, write your own, then run `immunoquiz check {output}`.")


PACKAGE_SUFFIXES = (".apkg", ".colpkg")


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="The deck file to write (default: FILE.yaml here)."
)
@click.option("--force", is_flag=True, help="Overwrite the deck file if it exists.")
@click.option(
    "--with-history",
    is_flag=True,
    help="Also bring the package's review log into your database and replay it into FSRS states.",
)
@common_options
@click.pass_context
def import_(
    ctx: click.Context,
    file: Path,
    output: Path | None,
    force: bool,
    with_history: bool,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Make a deck of an Anki package (.apkg, .colpkg), Anki's text export or Quizlet's.

    The deck is written as YAML, unsourced (`source: none`). The database is
    not touched, except with --with-history.
    """
    from immunoquiz.core.deck_import import bring_history, import_deck
    from immunoquiz.core.interchange import ForeignFileError
    from immunoquiz.core.starter import deck_id_for
    from immunoquiz.core.text import visible

    named = visible(str(file))
    output = output or Path(file.stem + ".yaml")
    refuse_target(output, force)
    if not file.is_file():
        fail(f"{named}: no such file")
    package = file.suffix.lower() in PACKAGE_SUFFIXES
    if with_history and not package:
        fail(f"--with-history: {named} is a text export, which has no review log; import it without --with-history")
    try:
        if package:
            from immunoquiz.core.anki_package import read_package

            collection = read_package(file)
        else:
            from immunoquiz.core.text_import import read_text_export

            collection = read_text_export(file)
        deck = import_deck(collection, deck_id_for(output.stem), file.name, output)
    except ForeignFileError as exc:
        fail(f"{named}: {exc}")
    if deck.cards == 0:
        fail(f"{named}: no note could be imported ({len(deck.skipped)} skipped): nothing was written")
    workspace = None
    if with_history:
        settings = _options(ctx, db, profile, deck_dirs)
        workspace = open_for(settings)
        taken = deck.deck_id in workspace.deck_ids()
        if taken and Path(workspace.store.deck_path(deck.deck_id)) != output.resolve():
            fail(
                f"-o {visible(str(output))}: deck id `{deck.deck_id}` (from the file name) is already a deck's:"
                " choose another name for the deck file"
            )
    write_file(output, lambda path: path.write_text(deck.text, encoding="utf-8"))
    click.echo(f"Wrote {output}.")
    for line in deck.summary():
        click.echo(line)
    if workspace is not None:
        from immunoquiz.core.clock import system_clock

        store = workspace.store
        with database_errors(settings.db_path()):
            store.sync([*workspace.paths, output], system_clock(), announce_parse)
            if deck.deck_id not in store.active_decks:
                fail(f"-o {visible(str(output))}: the deck written could not be read back (`immunoquiz check` it)")
            outcome = bring_history(store, deck.deck_id, deck.answers, workspace.day_rule())
        left_out = f" ({deck.answers_left_out} of notes or cards left out were not)" if deck.answers_left_out else ""
        click.echo(outcome.describe() + left_out)
    folder = output.resolve().parent
    click.echo(
        f"Keep it with `immunoquiz decks add {visible(str(folder))}` (or study it once with `--decks`);"
        f" check it with `immunoquiz check {output}`."
    )


@cli.command()
@click.argument("deck", shell_complete=_complete_deck_or_file)
@click.option("--format", "output_format", type=click.Choice(["apkg", "csv"]), default="apkg", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="The file to write (default: DECK-ID.FORMAT here)."
)
@click.option("--force", is_flag=True, help="Overwrite the file if it exists (a re-export, say).")
@click.option("--decks", "deck_dirs", multiple=True, type=click.Path(path_type=Path), help="Also use the decks in DIR.")
@db_options
@click.pass_context
def export(
    ctx: click.Context,
    deck: str,
    output_format: str,
    output: Path | None,
    force: bool,
    deck_dirs: tuple[Path, ...],
    db: Path | None,
    profile: str | None,
) -> None:
    """Write a deck for Anki: a package (.apkg) or Anki's CSV text. DECK is a deck id or a deck file.

    Notes keep stable GUIDs (from the deck and card ids), so importing a
    re-export into Anki updates them rather than adding duplicates.
    """
    from immunoquiz.core.check import check_paths
    from immunoquiz.core.deck_export import write_apkg, write_csv
    from immunoquiz.core.text import counted, visible

    for folder in deck_dirs:
        if not folder.exists():
            fail(f"--decks {visible(str(folder))}: no such file or folder")
    as_file = Path(deck)
    result = check_paths([as_file] if as_file.is_file() else _options(ctx, db, profile, deck_dirs).deck_targets())
    found = [d for d in result.decks if as_file.is_file() or d.id == deck]
    if not found:
        problems = [d.format() for d in result.diagnostics if d.severity == "error"]
        if as_file.is_file():
            fail(f"{visible(deck)}: the deck does not check ({visible(problems[0]) if problems else 'no deck'})")
        fail(f"export: no deck `{visible(deck)}` (decks: {', '.join(d.id for d in result.decks)})")
    chosen = found[0]
    output = output or Path(f"{chosen.id}.{output_format}")
    refuse_target(output, force)

    def write(path: Path) -> int:
        if output_format == "apkg":
            return write_apkg(chosen, path)
        with open(path, "w", encoding="utf-8", newline="") as out:
            return write_csv(chosen, out)

    notes = write_file(output, write)
    click.echo(f"Wrote {output}: {counted(notes, 'note')} of deck `{chosen.id}`.")


@cli.group()
def log() -> None:
    """The review log."""


@log.command("export")
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The file to write (default: standard output).")
@deck_option("Only this deck's answers (repeatable).")
@common_options
@click.pass_context
def log_export(
    ctx: click.Context,
    output_format: str,
    output: Path | None,
    decks: tuple[str, ...],
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Write the review log in the columns the FSRS tools read (card_id, review_time, review_rating, ...).

    The answers are those `options --optimize` learns from (cram answers left out).
    """
    from immunoquiz.core.log_export import write_csv, write_json
    from immunoquiz.core.review_query import review_log
    from immunoquiz.core.text import counted

    settings = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(settings)
    known = workspace.deck_ids()
    for deck in decks:
        if deck not in known:
            fail(f"--deck {deck}: no such deck (decks: {', '.join(known)})")
    with database_errors(settings.db_path()):
        rows = review_log(workspace.store, decks or tuple(known))
        rollover = workspace.day_rule().rollover_hour
    buffer = io.StringIO()
    if output_format == "csv":
        write_csv(rows, buffer)
    else:
        write_json(rows, buffer, rollover)
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
        return
    write_file(output, lambda path: path.write_text(buffer.getvalue(), encoding="utf-8"))
    click.echo(f"{counted(len(rows), 'answer')} written to {output}", err=True)


def _selection(
    workspace: Workspace, decks: tuple[str, ...], tags: tuple[str, ...], cram: bool, limit: int | None
) -> Any:
    from immunoquiz.core.query import all_tags
    from immunoquiz.core.selection import Selection

    known = workspace.deck_ids()
    for deck in decks:
        if deck not in known:
            fail(f"--deck {deck}: no such deck (decks: {', '.join(known)})")
    if tags:
        valid = all_tags(workspace.store, known)
        for tag in tags:
            if tag not in valid:
                fail(f"--tag {tag}: no card has this tag (tags: {', '.join(valid)})")
    if limit is not None and limit < 1:
        fail("--limit must be 1 or more")
    return Selection(decks=decks, tags=tags, cram=cram, limit=limit)


@cli.command()
@click.option("--plain", is_flag=True, help="Line mode: plain text, answers from standard input.")
@deck_option("Study this deck (repeatable).")
@tag_option("Only cards with this tag (repeatable).")
@click.option("--limit", type=int, help="Stop after N cards.")
@click.option("--cram", is_flag=True, help="Study without changing the schedule.")
@click.option(
    "--from-quiz",
    "from_quiz",
    type=int,
    metavar="ATTEMPT",
    help="Cram the cards a quiz attempt got wrong (see `quiz --history`).",
)
@common_options
@click.pass_context
def review(
    ctx: click.Context,
    plain: bool,
    decks: tuple[str, ...],
    tags: tuple[str, ...],
    limit: int | None,
    cram: bool,
    from_quiz: int | None,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Study today's cards (with --plain, in line mode)."""
    if not plain:
        need_terminal("immunoquiz review --plain")
    options = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(options)
    selection = _selection(workspace, decks, tags, cram, limit)
    if from_quiz is not None:
        from dataclasses import replace

        from immunoquiz.core.quiz_history import ResultsError, mistakes_selection

        try:
            mistakes = mistakes_selection(workspace.store, from_quiz)
        except ResultsError as exc:
            fail(f"--from-quiz {from_quiz}: {exc}")
        selection = replace(selection, cram=True, siblings=mistakes.siblings)
    if not plain:
        _open_app(options, selection, workspace)
        return
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.session import Session
    from immunoquiz.plain import run_plain

    with database_errors(options.db_path()):
        session = Session(
            workspace.store, selection, clock=system_clock, day_rule=workspace.day_rule(), options=workspace.options()
        )
        _freeze_what_exists()
        try:
            # Ctrl-C ends the session with its summary, then reaches main() as click's Abort: exit status 130.
            run_plain(session, line_input(), sys.stdout)
        finally:
            workspace.store.close()


@cli.command()
@deck_option("Study this deck (repeatable).")
@tag_option("Only cards with this tag (repeatable).")
@click.option("--cram", is_flag=True, help="Study without changing the schedule.")
@common_options
@click.pass_context
def study(
    ctx: click.Context,
    decks: tuple[str, ...],
    tags: tuple[str, ...],
    cram: bool,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Open the study app straight on the study screen (quitting it quits the app)."""
    need_terminal("immunoquiz review --plain")
    options = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(options)
    _open_app(options, _selection(workspace, decks, tags, cram, None), workspace)


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (any but a loopback one opens the app, without login, to whoever reaches it).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="The port to listen on.")
@common_options
@click.pass_context
def serve(
    ctx: click.Context, host: str, port: int, db: Path | None, profile: str | None, deck_dirs: tuple[Path, ...]
) -> None:
    """Serve the study app to web browsers (needs the web extra), one app for each tab, on this learner's database.

    There is no login: anyone who can reach the port studies as this learner
    and can read their database's cards and progress. It listens on this
    machine alone unless --host names another address.
    """
    try:
        from immunoquiz.web import AppServer, BindError, app_command, check_bind
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("immunoquiz"):
            raise
        fail(f"serve needs the web extra ({exc.name} is not installed): pip install 'immunoquiz[web]'")
    try:
        local = check_bind(host, port)
    except BindError as exc:
        fail(str(exc))
    options = _options(ctx, db, profile, deck_dirs)
    open_for(options).store.close()  # a database or deck problem is said here, once, not in each tab
    path = options.db_path().resolve()
    argv = [sys.executable, "-m", "immunoquiz", "--db", str(path)]
    if options.profile is not None:
        argv += ["--profile", options.profile]
    for folder in options.decks:
        argv += ["--decks", str(folder.resolve())]
    address = f"[{host}]" if ":" in host else host

    def announce() -> None:
        if not local:
            click.echo(
                f"immunoquiz: warning: listening on {host}, not on this machine alone. There is no login:"
                f" anyone who can reach port {port} studies as this learner and can read {path}'s cards and progress.",
                err=True,
            )
        click.echo(f"Serving immunoquiz on http://{address}:{port}/ for {path} (Ctrl+C stops it)", err=True)

    server = AppServer(app_command(argv), host, port, f"immunoquiz ({path.name})", announce, local)
    try:
        server.serve()
    except OSError as exc:  # the port taken between the check and the server's bind
        fail(f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc})")


def _since(value: str | None, today: int) -> int | None:
    """``--since``: a local date (YYYY-MM-DD) or a number of days (``30d``), as a study day."""
    if value is None:
        return None
    from datetime import date

    if value.endswith("d") and value[:-1].isdigit():
        return today - int(value[:-1]) + 1
    try:
        return date.fromisoformat(value).toordinal()
    except ValueError:
        fail(f"--since {value}: write a date like 2026-01-31 or a number of days like 30d")


@cli.command()
@click.argument("query", nargs=-1)
@click.option("--history", "with_history", is_flag=True, help="Also list each card's answers.")
@click.option("--suspend", is_flag=True, help="Suspend every card found.")
@click.option("--unsuspend", is_flag=True, help="Unsuspend every card found.")
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
@common_options
@click.pass_context
def browse(
    ctx: click.Context,
    query: tuple[str, ...],
    with_history: bool,
    suspend: bool,
    unsuspend: bool,
    as_json: bool,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Find cards as the app's browser does: words, "phrases", deck:ID, card:ID, tag:NAME, is:STATE.

    As in Anki: terms side by side must all match, a OR b either (AND binds
    tighter), -term excludes, parentheses group. Put -- before a query that
    starts with -, so that it is not read as an option: browse -- -tag:x.

    Each card is printed with its state, due date, question and answer (and its
    answers with --history); --suspend and --unsuspend change every card found.
    """
    from immunoquiz.core.browse import RESULT_LIMIT, describe_found, format_found, parse_query, query_problems, search
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.review_query import card_history
    from immunoquiz.core.text import counted

    if suspend and unsuspend:
        fail("--suspend and --unsuspend: choose one")
    change = "suspend" if suspend else "unsuspend" if unsuspend else None
    options = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(options)
    text = " ".join(query)
    parsed = parse_query(text)
    for problem in query_problems(parsed, workspace.deck_ids()):
        fail(problem)
    if change is not None and not text.strip():
        fail(f"--{change} needs a query: it would change every card")
    store, day_rule, limits = workspace.store, workspace.day_rule(), workspace.options()
    with database_errors(options.db_path()):
        result = search(
            store,
            parsed,
            system_clock(),
            day_rule,
            limit=RESULT_LIMIT if change is None else 10**9,
            options=limits,
        )
        if change is not None:
            store.set_suspended_many([found.row.id for found in result.found], change == "suspend")
            click.echo(f"{change.capitalize()}ed {counted(result.total, 'card')}.", err=True)
            result = search(store, parsed, system_clock(), day_rule, options=limits)
        logs = {found.row.id: card_history(store, found.row.id) for found in result.found} if with_history else {}
    if as_json:
        cards = [describe_found(found, day_rule.tz, logs.get(found.row.id)) for found in result.found]
        click.echo(json.dumps({"total": result.total, "cards": cards}, indent=2, ensure_ascii=False))
        return
    shown = "" if result.total == len(result.found) else f" (the first {len(result.found)} shown)"
    click.echo(f"{counted(result.total, 'card')} found{shown}.")
    for found in result.found:
        click.echo(format_found(found, day_rule.tz, logs.get(found.row.id)))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@deck_option("Only this deck (repeatable).")
@tag_option("Only cards with this tag (repeatable).")
@click.option("--since", metavar="DATE|Nd", help="Only answers since this date or so many days.")
@common_options
@click.pass_context
def stats(
    ctx: click.Context,
    as_json: bool,
    decks: tuple[str, ...],
    tags: tuple[str, ...],
    since: str | None,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Progress: cards by state, due, retention, calendar, forecast, weak spots, source map."""
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.review_query import Scope
    from immunoquiz.core.stats_report import format_report, report_to_json, stats_report

    options = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(options)
    _selection(workspace, decks, tags, False, None)  # names the valid decks and tags
    chosen = tuple(decks) or tuple(workspace.deck_ids())
    now = system_clock()
    day_rule = workspace.day_rule()
    scope = Scope(chosen, tags, _since(since, day_rule.day_of(now)))
    with database_errors(options.db_path()):
        report = stats_report(workspace.store, scope, now, day_rule, workspace.options())
    click.echo(json.dumps(report_to_json(report), indent=2) if as_json else format_report(report))


def _steps(value: str | None) -> tuple[timedelta, ...] | None:
    """Learning steps such as ``1m 10m`` or ``30s 1h 1d`` (exits with the fix when they do not read)."""
    from immunoquiz.core.options import parse_steps

    if value is None:
        return None
    try:
        return parse_steps(value)
    except ValueError as exc:
        fail(str(exc))


_BOUNDS = frozenset({"min", "max", "min_open", "max_open", "clamp"})


class _FieldBounds:
    """An option's bounds, read from the core's ``FIELDS`` when first asked for.

    Defining the commands then imports no core module, so ``--help`` stays light.
    Mixed in before ``click.IntRange`` or ``click.FloatRange``, whose ``__init__`` it calls late.
    """

    number: type[int] | type[float]

    def __init__(self, name: str) -> None:
        self.field_name = name

    def __getattr__(self, attr: str) -> Any:
        if attr not in _BOUNDS:
            raise AttributeError(attr)
        from immunoquiz.core.options import FIELDS

        field = FIELDS[self.field_name]
        super().__init__(self.number(field.low), self.number(field.high))  # type: ignore[call-arg]
        return getattr(self, attr)


class _FieldIntRange(_FieldBounds, click.IntRange):
    """A whole-number option's bounds (see ``_FieldBounds``)."""

    number = int


class _FieldFloatRange(_FieldBounds, click.FloatRange):
    """A decimal option's bounds (see ``_FieldBounds``)."""

    number = float


def _or(value: _T | None, kept: _T) -> _T:
    return kept if value is None else value


@dataclass(frozen=True, slots=True)
class OptionChanges:
    """The deck options the command line changes; None leaves an option as it is.

    Attributes:
        new_parameters: Whether the FSRS parameters change (to ``parameters``;
            None goes back to FSRS's defaults).
    """

    new_per_day: int | None = None
    reviews_per_day: int | None = None
    desired_retention: float | None = None
    learning_steps: tuple[timedelta, ...] | None = None
    relearning_steps: tuple[timedelta, ...] | None = None
    maximum_interval_days: int | None = None
    leech_threshold: int | None = None
    suspend_leeches: bool | None = None
    new_parameters: bool = False
    parameters: tuple[float, ...] | None = None

    @property
    def any(self) -> bool:
        """Whether anything changes."""
        return self != OptionChanges()

    def apply(self, options: DeckOptions) -> DeckOptions:
        """``options`` with these changes."""
        return replace(
            options,
            new_per_day=_or(self.new_per_day, options.new_per_day),
            reviews_per_day=_or(self.reviews_per_day, options.reviews_per_day),
            desired_retention=_or(self.desired_retention, options.desired_retention),
            learning_steps=_or(self.learning_steps, options.learning_steps),
            relearning_steps=_or(self.relearning_steps, options.relearning_steps),
            maximum_interval_days=_or(self.maximum_interval_days, options.maximum_interval_days),
            leech_threshold=_or(self.leech_threshold, options.leech_threshold),
            suspend_leeches=_or(self.suspend_leeches, options.suspend_leeches),
            parameters=self.parameters if self.new_parameters else options.parameters,
        )


@cli.command()
@deck_option("Change or show this deck (default: every deck).")
@click.option("--new-per-day", type=_FieldIntRange("new_per_day"), help="New cards introduced per day.")
@click.option("--reviews-per-day", type=_FieldIntRange("reviews_per_day"), help="Reviews shown per day.")
@click.option(
    "--desired-retention",
    type=_FieldFloatRange("desired_retention"),
    help="Target recall probability (0.70-0.99).",
)
@click.option("--learning-steps", metavar="STEPS", help="Learning steps, like '1m 10m'.")
@click.option("--relearning-steps", metavar="STEPS", help="Relearning steps, like '10m'.")
@click.option("--max-interval", type=_FieldIntRange("maximum_interval_days"), help="Longest interval in days.")
@click.option("--leech-threshold", type=_FieldIntRange("leech_threshold"), help="Lapses that make a leech.")
@click.option("--leech-action", type=click.Choice(["suspend", "tag"]), help="Suspend leeches, or only tag them.")
@click.option("--rollover-hour", type=click.IntRange(0, 23), help="Local hour at which a study day starts (all decks).")
@click.option(
    "--optimize", is_flag=True, help="Fit the FSRS parameters to your own answers in these decks and use them."
)
@click.option("--reset-parameters", is_flag=True, help="Go back to FSRS's default parameters.")
@click.option(
    "--reschedule",
    is_flag=True,
    help="Work out every card's schedule again from its answers, under the options now set.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the options as JSON.")
@common_options
@click.pass_context
def options(
    ctx: click.Context,
    decks: tuple[str, ...],
    new_per_day: int | None,
    reviews_per_day: int | None,
    desired_retention: float | None,
    learning_steps: str | None,
    relearning_steps: str | None,
    max_interval: int | None,
    leech_threshold: int | None,
    leech_action: str | None,
    rollover_hour: int | None,
    optimize: bool,
    reset_parameters: bool,
    reschedule: bool,
    as_json: bool,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Show or change study options: daily limits, retention, steps, leeches, day rollover, FSRS parameters."""
    changes = OptionChanges(
        new_per_day=new_per_day,
        reviews_per_day=reviews_per_day,
        desired_retention=desired_retention,
        learning_steps=_steps(learning_steps),
        relearning_steps=_steps(relearning_steps),
        maximum_interval_days=max_interval,
        leech_threshold=leech_threshold,
        suspend_leeches=None if leech_action is None else leech_action == "suspend",
        new_parameters=reset_parameters,
    )
    if optimize and reset_parameters:
        fail("--optimize and --reset-parameters: choose one")
    settings = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(settings)
    known = workspace.deck_ids()
    for deck in decks:
        if deck not in known:
            fail(f"--deck {deck}: no such deck (decks: {', '.join(known)})")
    store = workspace.store
    with database_errors(settings.db_path()):
        if rollover_hour is not None:
            workspace.set_rollover_hour(rollover_hour)
        if optimize:
            changes = _optimized(store, list(decks or known), changes)
        for deck in decks or known:
            if changes.any:
                try:
                    changed = changes.apply(store.deck_options(deck))
                except ValueError as exc:  # a value click's ranges let through, such as NaN
                    fail(str(exc))
                store.set_deck_options(deck, changed)
        if reschedule:
            from immunoquiz.core.replay import reschedule as replay

            click.echo(replay(store, list(decks or known)).describe(), err=True)
        shown = {deck: store.deck_options(deck) for deck in decks or known}
        rollover = workspace.day_rule().rollover_hour
    if as_json:
        data = {deck: options.to_dict() for deck, options in shown.items()}
        click.echo(json.dumps({"rollover_hour": rollover, "decks": data}, indent=2))
        return
    click.echo(f"study day starts at {rollover:02d}:00 local time")
    for deck, options in shown.items():
        click.echo(f"{deck}: {options.summary()}")


def _optimized(store: Store, decks: list[str], changes: OptionChanges) -> OptionChanges:
    """Fit parameters to these decks' answers, say how it went, and add them to the changes if better."""
    from immunoquiz.core.optimize import optimize

    fit = optimize(store, decks)
    click.echo(fit.describe() + (f" Now used by {', '.join(decks)}." if fit.better else ""), err=True)
    return replace(changes, new_parameters=True, parameters=fit.parameters) if fit.better else changes


QUIZ_OPTIONS = {"count": "-n", "minutes": "--time", "seed": "--seed", "forms": "--types"}
"""The option of each field of a quiz request, to name it in a problem."""


@cli.command()
@click.option("--plain", is_flag=True, help="Line mode: plain text, answers from standard input.")
@deck_option("Questions from this deck (repeatable).")
@tag_option("Only cards with this tag (repeatable); the paper is balanced across them.")
@click.option("-n", "count", type=int, default=20, show_default=True, help="Number of questions.")
@click.option("--time", "minutes", type=float, metavar="MINUTES", help="Whole-exam time limit (default: none).")
@click.option("--seed", type=int, help="Seed for a reproducible paper (same questions, order and options).")
@click.option("--types", "types", metavar="FORMS", help="Only these forms: choice,typed,numeric,ordering.")
@click.option(
    "--affect-schedule/--no-affect-schedule",
    default=False,
    show_default=True,
    help="Also log each answer as a review that moves the card's schedule.",
)
@click.option("--history", "show_history", is_flag=True, help="List past attempts with their scores and exit.")
@common_options
@click.pass_context
def quiz(
    ctx: click.Context,
    plain: bool,
    decks: tuple[str, ...],
    tags: tuple[str, ...],
    count: int,
    minutes: float | None,
    seed: int | None,
    types: str | None,
    affect_schedule: bool,
    show_history: bool,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Sit a quiz or exam paper made from the decks (with --plain, in line mode)."""
    from immunoquiz.core.quiz_request import QuizFields, read_quiz_request

    if not plain and not show_history:
        need_terminal("immunoquiz quiz --plain")
    options = _options(ctx, db, profile, deck_dirs)
    workspace = open_for(options)
    if show_history:
        from immunoquiz.core.quiz_history import format_history
        from immunoquiz.core.quiz_store import history

        with database_errors(options.db_path()):
            click.echo(format_history(history(workspace.store), workspace.day_rule().tz))
        return
    _selection(workspace, decks, tags, False, None)  # names the valid decks and tags
    request = read_quiz_request(QuizFields(decks, tags, count, minutes, seed, types, affect_schedule))
    if isinstance(request, list):
        fail(request[0].line(QUIZ_OPTIONS[request[0].field]))
    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.sitting import QuizSitting, make_paper

    with database_errors(options.db_path()):
        paper = make_paper(workspace.store, request)
    if not paper.questions:
        fail(paper.shortfall() or "no question can be made")
    if not plain:
        _open_app(options, request, workspace, paper)
        return
    from immunoquiz.plain_quiz import run_quiz_plain

    with database_errors(options.db_path()):
        if paper.short:
            click.echo(f"immunoquiz: note: {paper.shortfall()}", err=True)
        sitting = QuizSitting(
            workspace.store,
            paper,
            request,
            clock=system_clock,
            day_rule=workspace.day_rule(),
            options=workspace.options(),
        )
        _freeze_what_exists()
        # Ctrl-C ends the paper with its score, then reaches main() as click's Abort: exit status 130.
        run_quiz_plain(sitting, line_input(), sys.stdout)


@cli.group()
def results() -> None:
    """Export quiz results, and analyse a class's exports."""


@results.command("export")
@click.option("--format", "output_format", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE (default: standard output)."
)
@click.option(
    "--include-incomplete",
    is_flag=True,
    help="Also write the attempts quit before their end (marked incomplete; analyse leaves them out unless asked).",
)
@common_options
@click.pass_context
def results_export(
    ctx: click.Context,
    output_format: str,
    output: Path | None,
    include_incomplete: bool,
    db: Path | None,
    profile: str | None,
    deck_dirs: tuple[Path, ...],
) -> None:
    """Write this learner's complete quiz attempts (JSON or CSV, one row per question)."""

    from immunoquiz.core.clock import system_clock
    from immunoquiz.core.quiz_export import export_document, write_csv, write_json

    options = _options(ctx, db, profile, deck_dirs)
    path = options.db_path()
    from immunoquiz.core.store import open_store

    with database_errors(path):
        store = open_store(path)
        try:
            document = export_document(store, options.profile, system_clock(), include_incomplete=include_incomplete)
        finally:
            store.close()
    buffer = io.StringIO()
    (write_csv if output_format == "csv" else write_json)(document, buffer)
    if output is None:
        click.echo(buffer.getvalue(), nl=False)
        return
    write_file(output, lambda path: path.write_text(buffer.getvalue(), encoding="utf-8"))
    click.echo(f"{len(document.attempts)} attempts written to {output}", err=True)


@results.command("analyse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--include-incomplete", is_flag=True, help="Also pool the attempts quit before their end (if exported).")
def results_analyse(files: tuple[Path, ...], output_format: str, include_incomplete: bool) -> None:
    """Pool a class's exports: scores; per question difficulty, discrimination, distractors, wrong answers."""
    from immunoquiz.core.analysis import analyse, analysis_to_json, format_analysis, warnings
    from immunoquiz.core.quiz_history import ResultsError
    from immunoquiz.core.quiz_import import read_export

    exports = []
    for file in files:
        try:
            exports.append(read_export(file))
        except ResultsError as exc:
            fail(str(exc))
    analysis = analyse(exports, include_incomplete=include_incomplete)
    for warning in warnings(analysis):
        click.echo(f"immunoquiz: warning: {warning}", err=True)
    click.echo(
        json.dumps(analysis_to_json(analysis), indent=2, ensure_ascii=False)
        if output_format == "json"
        else format_analysis(analysis)
    )


def main() -> None:
    """Console-script entry point: usage errors, and output that cannot be written, are one line too."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        # A terminal or file in another encoding (Latin-1, a Windows code page) shows `?` for what it cannot hold.
        sys.stdout.reconfigure(errors="replace")
    try:
        cli.main(prog_name="immunoquiz", standalone_mode=False)
    except click.exceptions.Abort:
        fail("interrupted", 130)
    except click.ClickException as exc:
        command = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else "immunoquiz"
        fail(f"{exc.format_message()} (see `{command} --help`)", exc.exit_code)
    except OSError as exc:
        # Without a file name, raised by a write to standard output: the commands name the files they open themselves.
        if exc.filename is not None or exc.errno not in _NO_ROOM:
            raise
        # What is left in its buffer goes nowhere at exit, rather than failing again as a second message.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        fail(f"standard output: {exc.strerror}: make room on the disk, or send the output elsewhere")
