"""`make bench SCALE=s|m|l`: how fast, and in how much memory, the pipeline runs at a given scale.

It starts the bundled simulator (seed 42) at the scale, then measures, in a scratch folder
`data/bench/<timestamp>/` with its own warehouse (the working `data/warehouse.duckdb` is never opened):

1. extraction and load of every stream, through the product's own path (`extract_streams` and a
   `RawStore`, what the `extract_raw` asset runs);
2. the rest of `daily_pipeline` through Dagster (dbt's two steps with their tests, the great-expectations
   gates between them, the BI snapshot), each Dagster step timed from its start and end events;
3. two baselines over the same pages, so that the extraction's number means something: (a) the same
   streams read over HTTP by the same readers and paginators, JSON parsed, nothing landed; (b) those
   pages' bodies, saved to files during (a), landed by DuckDB's own JSON reader, one row per record;
4. an incremental run: the simulator restarted one day later (about 1% of records change), extraction
   and the pipeline again on the same warehouse, as a ratio of the full run;
5. how long a fresh interpreter takes to import `dagster_project.definitions` and resolve the asset graph.

The product's work (extraction, the Dagster run with dbt's subprocesses) runs in a fresh child process
per stage, as a deployment runs a step, so that its memory is its own: the bench process itself (the
harness, which also runs the baselines) and the simulator (which stands in for the remote services)
are measured apart. Memory is the peak RSS of the process tree doing a stage's work (for the
product: the child and dbt), sampled with psutil every 0.2 s; CPU seconds are split between the
harness, the simulator and the product, which says whether a stage waited or computed. It writes
`data/bench/<timestamp>.json` with every figure and prints a table with the issue's targets, marked
pass or fail. Timings are wall-clock on a shared machine: compare runs, not single digits.

Each stage is saved to the scratch folder's `stages.json` as it finishes, so that a run that stops (l takes
about 75 minutes) is finished with `--resume data/bench/<timestamp>`, not started over.
"""
