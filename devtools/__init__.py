"""Tools a developer runs but a deployment does not: the bench and the planted-defect demo.

Importable without Dagster (the bench imports it only in the child process that runs the pipeline), and
never imported by the product's packages, `connectors` and `dagster_project`: a deployment that leaves
this package out loses nothing it runs.
"""
