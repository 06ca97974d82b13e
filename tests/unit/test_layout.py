"""The package's shape (issue 14), read from the source: stages import only earlier stages, no
module imports itself back through others, each third-party library stays in its room, and the
inspection cache's fingerprint covers every module the examining code runs."""

from __future__ import annotations

import ast
from pathlib import Path

from pipeline.examine.cache import examining_code

PACKAGE = Path(__file__).resolve().parents[2] / "pipeline"

# Earlier stages first; a module may import only modules of its own rank or below.
RANKS = {"foundation": 0, "examine": 1, "decide": 2, "publish": 3, "build": 4, "office": 5, "cli": 6, "main": 7}

# Each third-party library and the only modules that may import it (type-only imports aside).
LIBRARIES = {
    "pyhanko": {"examine.verify", "examine.revocation", "examine.runner", "examine.verify_speedups",
                "office.sign", "office.signing", "office.stamps"},  # reading to verify; signing for the office
    "pyhanko_certvalidator": {"examine.verify", "examine.revocation", "examine.runner"},
    "pypdf": {"examine.text", "examine.text_speedups"},
    "mkdocs": {"publish.site", "publish.shells"},
    # templating.py makes every environment; the others name jinja2's Environment type only
    "jinja2": {"publish.templating", "publish.pages", "publish.feeds", "publish.office_pages"},
    "git": {"history"},
    "watchdog": {"office.watcher"},
    "reportlab": set(),  # the letter generator's, in corpus/: never the product's
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _rank(module: str) -> int:
    if module == "__main__":
        return RANKS["main"]
    head = module.split(".")[0]
    if head in RANKS and head != "foundation":
        return RANKS[head]
    return RANKS["foundation"]


def _imports(path: Path) -> tuple[set[str], set[str]]:
    """(pipeline modules, third-party top-level names) imported by the file, outside TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(child) for child in ast.walk(node))
    ours: set[str] = set()
    theirs: set[str] = set()
    known = {_module(p) for p in PACKAGE.rglob("*.py")}
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import"
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name == "pipeline" or name.startswith("pipeline."):
                inner = name.removeprefix("pipeline").lstrip(".")
                if inner in known:
                    ours.add(inner)
            else:
                theirs.add(name.split(".")[0])
    return ours, theirs


def _graph() -> dict[str, tuple[set[str], set[str]]]:
    return {_module(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_a_later_stage() -> None:
    upward = [f"{module} -> {target}" for module, (ours, _) in _graph().items() for target in ours
              if _rank(target) > _rank(module)]
    assert upward == []


def test_there_are_no_import_circles() -> None:
    graph = {module: {t for t in ours if t != module and t != ""} for module, (ours, _) in _graph().items()}
    # A package's __init__ is "" or "examine"...: imports of a package name are edges to it as well.
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                circles.append([*trail[trail.index(target):], target] if target in trail else [node, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_each_library_is_imported_only_in_its_room() -> None:
    strays = [f"{module} imports {library}" for module, (_, theirs) in _graph().items()
              for library, allowed in LIBRARIES.items() if library in theirs and module not in allowed]
    assert strays == []


def test_the_product_does_not_import_the_test_corpus() -> None:
    assert [module for module, (_, theirs) in _graph().items() if "corpus" in theirs] == []


def test_the_cache_fingerprint_covers_every_module_the_examining_code_runs() -> None:
    graph = _graph()
    reached: set[str] = set()
    # What runs in a worker and decides an inspection's content (discover, cache and inspect around it
    # do not; the trust roots are in the cache key on their own).
    pending = ["examine.worker", "examine.sandbox"]
    while pending:
        module = pending.pop()
        if module in reached:
            continue
        reached.add(module)
        pending.extend(graph[module][0])
    covered = {_module(path) for path in examining_code()} | {""}  # pipeline/__init__: the version, hashed
    assert reached - covered == set()
