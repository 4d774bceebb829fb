"""The quality gates' own process: `python -m dagster_project.quality.gates_process JOB RESULT`.

Started by the gates' Dagster step (`dagster_project.assets.quality`) so that great-expectations lives
only as long as the gates do. A plain interpreter, not a multiprocessing child: a spawned child first
re-imports the parent's main module (the Dagster CLI, or the bench), which put all of Dagster into the
gates' process too. JOB holds the pickled (warehouse, run id, checks); RESULT receives ("ok", outcomes)
or ("error", exception, traceback), so the step raises the gates' own error.
"""

import pickle
import sys
import traceback
from pathlib import Path

from dagster_project.quality.validation import run_quality_checks


def main(job: Path, result: Path) -> None:
    """Run the pickled job and pickle what it returned or raised."""
    warehouse, run_id, checks = pickle.loads(job.read_bytes())
    try:
        outcome: tuple = ("ok", run_quality_checks(warehouse, run_id, checks), "")
    except Exception as error:
        trace = traceback.format_exc()
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        outcome = ("error", error, trace)
    result.write_bytes(pickle.dumps(outcome))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
