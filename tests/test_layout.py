"""The code's shape: no import circle between webapp's modules, no Python file over 400 lines
(the app, its tests, migrations, benchmarks and tools).

Imports anywhere in a module count, inside functions too: a circle dodged by importing
late is still two modules that cannot be understood apart. Two kinds do not count: imports
only for type checkers (`if TYPE_CHECKING:`), which never run, and `create_app` from the
package itself, which a process that starts its own app (the scheduler) calls: the factory
wires every module, and starting an app is not depending on its parts.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "webapp"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}
ROOT_PACKAGE = "webapp"  # the composition root: create_app()


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(name: str) -> set[str]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # a submodule, or a name the package itself defines
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {target for target in found if target in MODULES and target not in (name, ROOT_PACKAGE)}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_circles_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_inside_webapp():
    graph = {name: imports_of(name) for name in MODULES}
    assert circles(graph) == []


def test_no_python_file_over_400_lines():
    files = [p for folder in ("webapp", "tests", "migrations", "bench", "tools")
             for p in (ROOT / folder).rglob("*.py")]
    assert len(files) > len(MODULES)
    long = {str(path.relative_to(ROOT)): n for path in files
            if (n := len(path.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_merge_conflict_left_in_the_tree():
    marked = [str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*")
              if path.suffix in (".py", ".html", ".css", ".js", ".po")
              and any(line.startswith(("<<<<<<< ", ">>>>>>> "))
                      for line in path.read_text("utf-8").splitlines())]
    assert marked == []
