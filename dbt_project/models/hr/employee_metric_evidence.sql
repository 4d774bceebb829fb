{{ config(materialized='view') }}
{#-
    The records behind every employee value: for each (employee, role, period, metric) the source system,
    stream and record key of every record that contributed, with its part of the numerator and of the
    denominator (macro metric_evidence_shape, the shape of the departments' metric_evidence). Summing the
    parts gives the numerator and denominator in fct_employee_metric_scores, so an HR reviewer can walk
    any grade back to the tickets, postings, deals and reviews behind it. A view: the facts are already a
    table.
-#}
{{ metric_evidence_shape(ref('int_employee_metric_facts'), employee_unit()) }}
