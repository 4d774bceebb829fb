"""Landing raw records in DuckDB: append-only, page by page, the cursor committed with its data."""
