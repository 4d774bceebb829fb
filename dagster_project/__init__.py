"""Orchestration only: assets that call `connectors` (and, later, dbt) and report what they did."""
