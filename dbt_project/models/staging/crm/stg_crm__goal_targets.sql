{{ config(unique_key='goal_target_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    Targets stay in the goal's currency, as HubSpot sent them: int_crm__goal_targets_in_reporting_currency
    converts them with the ERP's rates, so that staging reads the CRM alone.
-#}
with

source as (
    {{ latest_version(source('crm', 'goal_targets')) }}
),

renamed as (
    select
        _key as goal_target_id,
        {{ json_text(payload, '$.properties.hs_goal_name') }} as goal_target_name,
        {{ json_text(payload, '$.properties.hs_assignee_user_id') }} as assignee_user_id,
        {{ checked_field(payload, 'period_start_at', '$.properties.hs_start_datetime', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.properties.hs_start_datetime'))) }} as period_start_date,
        {{ to_utc(json_text(payload, '$.properties.hs_end_datetime')) }} as period_end_at,
        {{ local_date(to_utc(json_text(payload, '$.properties.hs_end_datetime'))) }} as period_end_date,
        {{ checked_field(payload, 'target_amount_original', '$.properties.hs_target_amount', 'number') }},
        {{ json_text(payload, '$.properties.hs_currency_code') }} as currency_original,
        _is_deleted or coalesce({{ json_text(payload, '$.archived') }} = 'true', false) as is_archived,
        {{ to_utc(json_text(payload, '$.properties.createdate')) }} as created_at,
        {{ checked_field(payload, 'last_modified_at', '$.properties.hs_lastmodifieddate', 'timestamp') }},
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
