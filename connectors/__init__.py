"""Extract records from HR, ERP, ticketing and CRM APIs and land them, append-only, in DuckDB.

Plain Python on `requests`, no orchestrator import: a data engineer can run any stream from a script
(`python -m connectors extract hr employees`) and the Dagster project calls the same functions.
"""
