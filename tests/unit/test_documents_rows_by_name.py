"""The documents read query results by name, never by position.

A row read as `first[3:6]` or `row[1]` silently reads the wrong column when a statement
gains one; `row.needs_id` fails loudly. This walks app/documents for names bound to a
statement's result (`rows = db.session.execute(...).all()`), the rows taken from them
(`first = rows[0]`, `for row in rows`) and reports any of those indexed by a number or a
slice (`rows[0]` itself, taking one row of the list, is fine).
"""

from __future__ import annotations

import ast
from pathlib import Path

DOCUMENTS = Path(__file__).resolve().parents[2] / "app" / "documents"


def _calls_execute(node: ast.AST) -> bool:
    return any(
        isinstance(part, ast.Call)
        and isinstance(part.func, ast.Attribute)
        and part.func.attr == "execute"
        for part in ast.walk(node)
    )


def _names(target: ast.AST) -> set[str]:
    return {part.id for part in ast.walk(target) if isinstance(part, ast.Name)}


def _positional(index: ast.AST) -> bool:
    return isinstance(index, ast.Slice) or (
        isinstance(index, ast.Constant) and isinstance(index.value, int)
    )


def positional_reads(tree: ast.AST) -> list[tuple[int, str]]:
    results: set[str] = set()  # lists of rows
    rows: set[str] = set()  # single rows
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _calls_execute(node.value):
            for target in node.targets:
                results |= _names(target)
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            value = node.value
            one_row = (
                isinstance(value, ast.Subscript)
                and isinstance(value.value, ast.Name)
                and value.value.id in results
            )
            if one_row:
                for target in node.targets:
                    rows |= _names(target)
        elif (
            isinstance(node, (ast.For, ast.comprehension))
            and isinstance(node.iter, ast.Name)
            and node.iter.id in results
        ):
            rows |= _names(node.target)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Subscript) or not _positional(node.slice):
            continue
        value = node.value
        is_row = isinstance(value, ast.Name) and value.id in rows
        is_row = is_row or (
            isinstance(value, ast.Subscript)
            and isinstance(value.value, ast.Name)
            and value.value.id in results
        )
        if is_row:
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_check_finds_rows_read_by_position() -> None:
    tree = ast.parse(
        "rows = db.session.execute(statement).all()\n"
        "first = rows[0]\n"
        "needs_id, caseload, hip = first[3:6]\n"
        "versions = [row[1] for row in rows if row[1] is not None]\n"
        "narrative = rows[0][0]\n"
        "for row in rows:\n"
        "    task = Task(*row[:11])\n"
        "by_name = [first.needs_id, rows[0].PidNarrative, first._mapping['before']]\n"
    )
    found = sorted(what for _line, what in positional_reads(tree))
    assert found == sorted(["first[3:6]", "row[1]", "row[1]", "rows[0][0]", "row[:11]"])


def test_documents_read_query_rows_by_name() -> None:
    found = [
        f"{path.name}:{line}: {what}"
        for path in sorted(DOCUMENTS.glob("*.py"))
        for line, what in positional_reads(ast.parse(path.read_text()))
    ]
    assert found == []
