"""The dbt project as Dagster sees it: paths computed once, the manifest prepared at install time.

`make install` runs `dagster-dbt project prepare-and-package --file dagster_project/project.py`, which
parses the project into `dbt_project/target/manifest.json`; loading the definitions only reads it.
Under `dagster dev` the manifest is re-parsed so that model edits show up without reinstalling.
"""

import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from dagster_project.paths import DBT_PROJECT_DIR

# The dbt installed beside this interpreter, so that an unactivated virtualenv works too.
DBT_EXECUTABLE = (
    str(Path(sys.executable).with_name("dbt"))
    if Path(sys.executable).with_name("dbt").exists()
    else (shutil.which("dbt") or "dbt")
)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()
