{{ config(unique_key='issue_id') }}
{%- set payload = json_fields('_payload') -%}
{#- SLA durations arrive in milliseconds; hours are what the SLA goals (8 h / 72 h, 2 h / 24 h) are stated in. -#}
with

source as (
    {{ latest_version(source('ticketing', 'service_requests')) }}
),

renamed as (
    select
        {{ jira_issue_columns(payload) }},
        {{ json_text(payload, '$.fields.customfield_10400') }} as requesting_department_name,
        {{ to_number(jira_sla_value(payload, 'customfield_10200', 'goalDuration.millis')) }} / 3600000.0
            as first_response_sla_goal_hours,
        {{ to_number(jira_sla_value(payload, 'customfield_10200', 'elapsedTime.millis')) }} / 3600000.0
            as first_response_sla_elapsed_hours,
        {{ jira_sla_value(payload, 'customfield_10200', 'breached') }} = 'true' as is_first_response_sla_breached,
        {{ to_utc(json_text(payload, '$.fields.customfield_10200.completedCycles[0].stopTime.iso8601')) }}
            as first_responded_at,
        {{ to_utc(jira_sla_value(payload, 'customfield_10200', 'startTime.iso8601')) }} as sla_started_at,
        {{ to_utc(json_text(payload, '$.fields.customfield_10201.completedCycles[0].stopTime.iso8601')) }}
            as resolution_sla_stopped_at,
        {{ to_utc(json_text(payload, '$.fields.customfield_10200.ongoingCycle.breachTime.iso8601')) }}
            as first_response_sla_breach_at,
        {{ to_number(jira_sla_value(payload, 'customfield_10201', 'goalDuration.millis')) }} / 3600000.0
            as resolution_sla_goal_hours,
        {{ to_number(jira_sla_value(payload, 'customfield_10201', 'elapsedTime.millis')) }} / 3600000.0
            as resolution_sla_elapsed_hours,
        {{ jira_sla_value(payload, 'customfield_10201', 'breached') }} = 'true' as is_resolution_sla_breached,
        {{ to_utc(json_text(payload, '$.fields.customfield_10201.ongoingCycle.breachTime.iso8601')) }}
            as resolution_sla_breach_at,
        cast({{ to_number(json_text(payload, '$.fields.customfield_10300.rating')) }} as integer)
            as satisfaction_rating,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
),

final as (
    select
        renamed.*,
        {{ local_date('renamed.first_responded_at') }} as first_responded_date
    from renamed
)

select * from final
