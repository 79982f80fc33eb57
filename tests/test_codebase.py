"""The shape of the code: no import cycles between the app's modules, no module too long to
read (migrations aside)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LONGEST = 500  # lines


def modules():
    """{dotted name: path} of every module of the app, migrations aside."""
    found = {}
    for path in (ROOT / "visits").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name, path, known):
    """The app's modules that a module imports (a submodule named by `from . import x`
    counts as itself, not as its package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = [f"{target}.{alias.name}" for alias in node.names]
            named = [module for module in submodules if module in known]
            yield from named or ([target] if target in known else [])
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)


def test_the_modules_import_each_other_without_a_cycle():
    known = modules()
    graph = {name: set(imports(name, path, known)) - {name} for name, path in known.items()}
    visiting, done, cycles = [], set(), []

    def visit(name):
        if name in done:
            return
        if name in visiting:
            cycles.append([*visiting[visiting.index(name) :], name])
            return
        visiting.append(name)
        for other in sorted(graph[name]):
            visit(other)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)
    assert cycles == []


def test_no_module_is_longer_than_it_can_be_read():
    paths = [
        path for folder in ("visits", "tests", "bench") for path in (ROOT / folder).rglob("*.py")
    ]
    long = {
        str(path.relative_to(ROOT)): length
        for path in paths
        if "migrations" not in path.parts
        and (length := len(path.read_text().splitlines())) > LONGEST
    }
    assert long == {}
