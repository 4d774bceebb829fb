{{ config(materialized='view') }}
{#-
    The records behind every value: for each (department, period, metric) the source system, stream and
    record key of every record that contributed, with its part of the numerator and the denominator
    (macro metric_evidence_shape, the shape of employee_metric_evidence too). Summing the parts of a
    (department, period, metric) gives exactly the numerator and denominator in fct_metric_scores, so
    any score can be recomputed from the records listed here. A view over the fact table (each fact is
    listed once per period it counts in: 13.6M rows at scale l); the BI snapshot holds it as a table.
-#}
{{ metric_evidence_shape(ref('int_metric_facts'), department_unit()) }}
