"""The package layout shows the pipeline: one subpackage per stage, data flowing one way.

An AST walk of generator/'s own imports (including imports inside functions): no module
may depend on itself through others, a stage uses another stage only through the names
its `__init__` exports, and no module grows past 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import generator

PACKAGE = Path(generator.__file__).parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name: str) -> bool:
    return (PACKAGE.parent.joinpath(*name.split(".")) / "__init__.py").is_file()


def exists(name: str) -> bool:
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports_of(path: Path) -> set[str]:
    """Modules of generator/ that `path` imports (a `from pkg import sub` counts as sub)."""
    name = module_name(path)
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "generator"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").split(".")[0] == "generator":
                target = node.module
            else:
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if exists(sub) else target)
    return {f for f in found if exists(f)} - {name}


GRAPH = {module_name(p): imports_of(p) for p in MODULES}


def test_there_is_no_import_cycle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def stage_of(name: str) -> str:
    """The top-level subpackage (or module) of generator/ a module belongs to."""
    return ".".join(name.split(".")[:2])


def test_stages_use_each_other_only_through_their_package():
    wrong = []
    for name, deps in GRAPH.items():
        for dep in deps:
            if stage_of(dep) != stage_of(name) and is_package(stage_of(dep)) \
                    and dep != stage_of(dep):
                wrong.append(f"{name} imports {dep}; import it from {stage_of(dep)}")
    assert not wrong, "\n".join(sorted(wrong))


def test_every_subpackage_says_what_comes_in_and_goes_out():
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "In:" in doc and "Out:" in doc, f"{init.relative_to(PACKAGE)}: say In:/Out:"


def test_no_module_is_past_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in MODULES
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_the_checks_can_fail():
    """The walk sees real imports (also inside functions), and a planted cycle is found."""
    assert "generator.site" in GRAPH["generator.build.pipeline"]
    assert "generator.build" in GRAPH["generator.cli.site_commands"]  # a lazy import
    assert find_cycle({"x": {"y"}, "y": {"x"}}) == ["x", "y", "x"]
    assert find_cycle({"x": {"y"}, "y": set()}) is None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        stack.append(name)
        for dep in sorted(graph.get(name, ())):
            if state.get(dep) == "open":
                return stack[stack.index(dep):] + [dep]
            if dep not in state and (found := visit(dep)):
                return found
        stack.pop()
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_no_package_file_is_ignored_by_git():
    """Hatch builds the wheel from what git does not ignore: an unanchored `build/` or
    `site/` in .gitignore once hid generator/build/ and generator/site/ from both."""
    import shutil
    import subprocess

    root = PACKAGE.parent
    if shutil.which("git") is None or not (root / ".git").exists():
        import pytest

        pytest.skip("not a git checkout")
    files = [str(p.relative_to(root)) for p in PACKAGE.rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=root,
                             capture_output=True, text=True).stdout.split()
    assert not ignored, ignored


def test_the_site_package_exports_each_name_lazily_and_right():
    import importlib

    import generator.site as site_package

    modules = {p.stem for p in (PACKAGE / "site").iterdir()}
    assert not set(site_package._EXPORTS) & modules  # a submodule import would shadow it
    for name in site_package.__all__:
        value = getattr(site_package, name)
        assert not isinstance(value, type(importlib)), name
