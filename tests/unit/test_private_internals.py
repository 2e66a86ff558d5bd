"""No private internals of a library anywhere in app/: an upgrade must not break us silently.

Walks the syntax tree of every module in app/ and reports each use of a name starting with
one underscore that the app does not define itself: `x._p`, `PackageWriter._write_...`,
`sys._getframe`, `from docx.table import _Cell`, `getattr(macro, "_func")`, and writes into
another object's `__dict__`. Dunder names are Python's own, and a few single-underscore
names are documented public API (SQLAlchemy's `Row._mapping`, namedtuple's `_asdict`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# Public despite the underscore: SQLAlchemy `Row` (documented as its public API, named so
# as not to clash with column names) and `collections.namedtuple`.
PUBLIC_UNDERSCORE_NAMES = frozenset(
    {"_mapping", "_asdict", "_fields", "_replace", "_make", "_t", "_tuple"}
)
DICT_WRITES = frozenset({"setdefault", "update", "pop", "popitem", "clear", "__setitem__"})


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _targets(node: ast.AST) -> Iterable[ast.AST]:
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        yield from node.targets if isinstance(node, ast.Assign) else [node.target]
    elif isinstance(node, (ast.For, ast.comprehension)):
        yield node.target
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        yield node.optional_vars


def own_names(trees: Iterable[ast.AST]) -> set[str]:
    """Every single-underscore name the app defines: functions, classes, variables,
    parameters, imports of its own modules, and attributes it assigns."""
    names: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("app"):
                names.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, ast.alias) and node.asname:
                names.add(node.asname)
            for target in _targets(node):
                for part in ast.walk(target):
                    if isinstance(part, ast.Name):
                        names.add(part.id)
                    elif isinstance(part, ast.Attribute):
                        names.add(part.attr)
    return {name for name in names if _private(name)}


def private_uses(tree: ast.AST, own: set[str]) -> list[tuple[int, str]]:
    """(line, what) for each use of a private name the app does not define."""
    allowed = own | PUBLIC_UNDERSCORE_NAMES
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if _private(node.attr) and node.attr not in allowed:
                found.append((node.lineno, f"{ast.unparse(node)}"))
            if node.attr == "__dict__" and not _reads_only(tree, node):
                found.append((node.lineno, f"write into {ast.unparse(node)}"))
        elif isinstance(node, ast.ImportFrom) and not (node.module or "").startswith("app"):
            for alias in node.names:
                if _private(alias.name):
                    found.append((node.lineno, f"from {node.module} import {alias.name}"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
            and node.args[1].value not in allowed
        ):
            found.append((node.lineno, ast.unparse(node)))
    return found


def _reads_only(tree: ast.AST, dict_attribute: ast.Attribute) -> bool:
    """Whether this `x.__dict__` is only read: not subscripted in a store or delete, and
    not the object of a mutating method call."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and node.value is dict_attribute
            and isinstance(node.ctx, (ast.Store, ast.Del))
        ):
            return False
        if (
            isinstance(node, ast.Attribute)
            and node.value is dict_attribute
            and node.attr in DICT_WRITES
        ):
            return False
    return True


def test_the_check_finds_each_kind_of_private_use() -> None:
    """The check itself: each trick the issue lists is reported; public names are not."""
    tree = ast.parse(
        "import sys\n"
        "from docx.opc.pkgwriter import PackageWriter\n"
        "from docx.table import _Cell\n"
        "paragraph._p.append(run)\n"
        "PackageWriter._write_content_types_stream(writer, parts)\n"
        "frame = sys._getframe(2)\n"
        "request.__dict__['args'] = cleaned\n"
        "doc.part.__dict__.setdefault('_house_styles', {})\n"
        "func = getattr(macro, '_func', None)\n"
    )
    found = [what for _line, what in private_uses(tree, own=set())]
    assert sorted(found) == sorted(
        [
            "from docx.table import _Cell",
            "paragraph._p",
            "PackageWriter._write_content_types_stream",
            "sys._getframe",
            "write into request.__dict__",
            "write into doc.part.__dict__",
            "getattr(macro, '_func', None)",
        ]
    )
    public = ast.parse(
        "class Cache:\n"
        "    def __init__(self):\n"
        "        self._kept = {}\n"
        "    def _value(self):\n"
        "        return self._kept, row._mapping, point._asdict(), type(self).__name__\n"
        "details = dict(one.__dict__)\n"
    )
    assert private_uses(public, own_names([public])) == []


def test_no_module_in_app_uses_a_private_name_of_a_library() -> None:
    trees = {path: ast.parse(path.read_text(), str(path)) for path in sorted(APP.rglob("*.py"))}
    own = own_names(trees.values())
    # The names python-docx keeps private must never count as the app's own.
    assert not own & {"_p", "_r", "_tbl", "_tc", "_tr", "_body", "_element", "_parent"}
    found = [
        f"{path.relative_to(APP.parent)}:{line}: {what}"
        for path, tree in trees.items()
        for line, what in private_uses(tree, own)
    ]
    assert found == []
