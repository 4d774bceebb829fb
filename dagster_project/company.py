"""What differs per company, read once from the dbt project's vars for Python to share with dbt.

The models convert money and cut calendar days by `company_timezone` and `reporting_currency` in
`dbt_project/dbt_project.yml`; the schedules, the monthly partitions and the quality gates must use the
same zone and currency, so they read them here rather than repeat them. Importable without Dagster: the
quality gates run in a process of their own (see `paths`).
"""

from __future__ import annotations

from typing import Any

import yaml

from dagster_project.paths import DBT_PROJECT_DIR

DBT_VARS: dict[str, Any] = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
COMPANY_TIMEZONE: str = DBT_VARS["company_timezone"]
REPORTING_CURRENCY: str = DBT_VARS["reporting_currency"]
# index points between a department index and the roll-up of its people (HR tier)
EMPLOYEE_ROLLUP_TOLERANCE: float = float(DBT_VARS["employee_rollup_tolerance_points"])
# how unlikely by chance a grade share beyond tolerance must be to flag its group (HR tier)
CALIBRATION_SIGNIFICANCE: float = float(DBT_VARS["calibration_significance"])
