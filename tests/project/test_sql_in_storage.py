"""SQL lives in the core's storage modules only: everything else works on the typed rows they return."""

from __future__ import annotations

import ast
from pathlib import Path

import immunoquiz

PACKAGE = Path(immunoquiz.__file__).parent
STORAGE = {
    "store",
    "migrations",
    "query",
    "card_query",
    "review_query",
    "quiz_store",
    "peek",
    # Not our database: it reads the SQLite collection inside an Anki package, the only SQL on a foreign file.
    "anki_package",
}
SQL_CALLS = {"execute", "executemany", "executescript"}


def sql_uses(source: str) -> list[str]:
    """The places in a module's source that run SQL or reach for the connection, as ``line: what``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and (node.attr in SQL_CALLS or node.attr == "conn"):
            found.append(f"{node.lineno}: .{node.attr}")
    return found


def test_only_the_storage_modules_run_sql() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 40
    offenders = {}
    for path in modules:
        name = path.relative_to(PACKAGE).with_suffix("")
        if name.parent == Path("core") and name.name in STORAGE:
            continue
        if uses := sql_uses(path.read_text(encoding="utf-8")):
            offenders[str(name)] = uses
    assert offenders == {}


def test_the_check_would_notice_sql() -> None:
    stats = (PACKAGE / "core" / "stats.py").read_text(encoding="utf-8")
    lines = stats.count("\n")
    put_back = (
        stats + "rows = store.conn.execute('SELECT 1')\nwith store.write() as conn:\n    conn.executemany('', [])\n"
    )
    assert sql_uses(stats) == []
    assert sorted(sql_uses(put_back)) == [f"{lines + 1}: .conn", f"{lines + 1}: .execute", f"{lines + 3}: .executemany"]
