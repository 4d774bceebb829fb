"""What a dbt test vouches for and what it means, read from the dbt manifest.

One definition for every place that shows a dbt test: the Dagster asset check (its asset and its
description), `quality.quality_results` (its asset) and whoever renders a check for people. Plain Python
over the manifest's dict, no Dagster: the quality gates' own process imports it too.

A singular test declares its description in `dbt_project/tests/_singular_tests.yml`; a generic test's
description, unless its YAML gives one, is written from its kind and the tested column's own
description, so that the 500-odd generic tests need no hand-written copy of what the column docs say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from dagster_project.quality.test_words import GENERIC

REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""")
FIX = "The failing rows: `dbt test --select {name}` in dbt_project/."


def node_under_test(manifest: Mapping[str, Any], test: Mapping[str, Any]) -> str:
    """The unique id of the model or seed a test vouches for, by dagster-dbt's own rule (so that the
    Dagster check and the stored verdict name one asset): a generic test's attached node, a singular
    test's only parent, or the `meta.dagster.ref` a singular test with several parents declares."""
    if test.get("attached_node"):
        return test["attached_node"]
    parents = test["depends_on"]["nodes"]
    ref = ((test.get("config") or {}).get("meta") or test.get("meta") or {}).get("dagster", {}).get("ref")
    if ref:
        for unique_id, node in manifest["nodes"].items():
            if node["resource_type"] in ("model", "seed") and node["name"] == ref["name"]:
                return unique_id
    return parents[0] if len(parents) == 1 else ""


def describe_test(manifest: Mapping[str, Any], test: Mapping[str, Any]) -> str:
    """What the test asserts, in words a data steward reads, and how to fix a failure."""
    own = (test.get("description") or "").strip()
    if own:
        return f"{own} {FIX.format(name=test['name'])}"
    parent = manifest["nodes"].get(node_under_test(manifest, test)) or {}
    model = parent.get("name", "?")
    column = test.get("column_name") or ""
    kind = (test.get("test_metadata") or {}).get("name", "")
    kwargs = (test.get("test_metadata") or {}).get("kwargs") or {}
    what = _assertion(kind, model, column, kwargs)
    column_doc = ((parent.get("columns") or {}).get(column) or {}).get("description", "").strip()
    about = f" `{column}`: {column_doc}" if column_doc else ""
    return f"{what}{about} {FIX.format(name=test['name'])}"


def _assertion(kind: str, model: str, column: str, kwargs: Mapping[str, Any]) -> str:
    """The kind's English sentence (test_words.GENERIC, the one the scorecards show), names as code."""

    def listed(key: str) -> str:
        return ", ".join(f"`{v}`" for v in kwargs.get(key) or [])

    words = {
        "model": f"`{model}`",
        "column": f"`{column or '?'}`",
        "columns": listed("columns"),
        "values": listed("values"),
        "to": f"`{_ref_name(str(kwargs.get('to', '?')))}`",
        "field": f"`{kwargs.get('field', '?')}`",
        "index": f"`{kwargs.get('index', '?')}`",
        "within": listed("within"),
        "kind": f"`{kind or 'query'}`",
    }
    _, meaning = GENERIC["en"].get(kind, GENERIC["en"][""])
    return meaning.format(**words)


def _ref_name(text: str) -> str:
    match = REF.search(text)
    return match[1] if match else text
