"""The developer's tools and the simulator stay out of the product: `devtools` imports without Dagster,
and neither `connectors` nor `dagster_project` imports `devtools` or `simulator` (the simulator runs as a
process of its own, `python -m simulator`), so a deployment without them runs the same."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import devtools

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("connectors", "dagster_project")
OUTSIDE_THE_PRODUCT = ("devtools", "simulator")
HANG_BOUND_S = 300

# A meta-path finder that refuses Dagster and everything built on it, as an environment without it would.
WITHOUT_DAGSTER = """
import importlib, sys

class NoDagster:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("dagster", "dagster_dbt", "dagster_webserver"):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
        return None

sys.meta_path.insert(0, NoDagster())
for name in sys.argv[1:]:
    importlib.import_module(name)
print(sorted(m for m in sys.modules if m.split(".")[0] == "dagster"))
"""


def _python(code: str, *args: str) -> str:
    """What a fresh interpreter running `code` prints, so that this process's imports do not count."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=HANG_BOUND_S
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def devtools_modules() -> list[str]:
    """Every module of the package, but `__main__` ones (importing those runs the tool)."""
    found = [
        module.name
        for module in pkgutil.walk_packages(devtools.__path__, prefix="devtools.")
        if not module.name.endswith(".__main__")
    ]
    return ["devtools", *found]


def test_every_devtools_module_imports_without_dagster():
    modules = devtools_modules()
    assert {"devtools.bench.cli", "devtools.bench.run", "devtools.planted_defects"} <= set(modules)
    assert _python(WITHOUT_DAGSTER, *modules) == "[]"


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module)
    return imported


def test_the_product_never_imports_devtools_or_the_simulator():
    reaching = sorted(
        f"{path.relative_to(ROOT)} imports {module}"
        for package in PRODUCT
        for path in (ROOT / package).rglob("*.py")
        for module in imports_of(path)
        if module.split(".")[0] in OUTSIDE_THE_PRODUCT
    )
    assert reaching == []


LOADED = """
import importlib, sys
importlib.import_module(sys.argv[1])
print(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:])))
"""


def test_loading_the_definitions_loads_neither():
    """What a Dagster deployment loads ([tool.dagster] module_name) brings in neither package."""
    assert _python(LOADED, "dagster_project.definitions", *OUTSIDE_THE_PRODUCT) == "[]"
