{{ config(unique_key='deal_id') }}
{%- set payload = json_fields('_payload') -%}
{#- Amounts are converted here, with the ERP's own daily rates, so every later model reads one currency. -#}
with

source as (
    {{ latest_version(source('crm', 'deals')) }}
),

renamed as (
    select
        _key as deal_id,
        {{ json_text(payload, '$.properties.dealname') }} as deal_name,
        {{ json_text(payload, '$.properties.dealstage') }} as deal_stage,
        {{ json_text(payload, '$.properties.pipeline') }} as pipeline,
        {{ json_text(payload, '$.properties.hubspot_owner_id') }} as owner_id,
        {{ to_number(json_text(payload, '$.properties.amount')) }} as amount_original,
        {{ json_text(payload, '$.properties.deal_currency_code') }} as currency_original,
        {{ json_text(payload, '$.properties.hs_is_closed') }} = 'true' as is_closed,
        {{ json_text(payload, '$.properties.hs_is_closed_won') }} = 'true' as is_closed_won,
        {{ to_utc(json_text(payload, '$.properties.createdate')) }} as created_at,
        {{ local_date(to_utc(json_text(payload, '$.properties.createdate'))) }} as created_date,
        -- HubSpot's closedate is the forecast on an open deal and the actual close once it is closed.
        case
            when {{ json_text(payload, '$.properties.hs_is_closed') }} = 'true'
                then {{ to_utc(json_text(payload, '$.properties.closedate')) }}
        end as closed_at,
        case
            when {{ json_text(payload, '$.properties.hs_is_closed') }} = 'true'
                then {{ local_date(to_utc(json_text(payload, '$.properties.closedate'))) }}
        end as close_date,
        case
            when {{ json_text(payload, '$.properties.hs_is_closed') }} = 'false'
                then {{ local_date(to_utc(json_text(payload, '$.properties.closedate'))) }}
        end as expected_close_date,
        -- Archived deals come from the archived=true listing; a key scan may also find one gone.
        _is_deleted or coalesce({{ json_text(payload, '$.archived') }} = 'true', false) as is_archived,
        {{ to_utc(json_text(payload, '$.archivedAt')) }} as archived_at,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from {{ with_json_fields(payload, 'source') }}
),

converted as (
    {{ in_reporting_currency('renamed', rate_date='coalesce(renamed.close_date, renamed.created_date)') }}
)

select * from converted
