{{ config(unique_key='deal_id') }}
{%- set payload = json_fields('_payload') -%}
{#-
    Amounts stay in the deal's currency, as HubSpot sent them: int_crm__deals_in_reporting_currency
    converts them with the ERP's rates, so that staging reads the CRM alone.
-#}
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
        {{ checked_field(payload, 'amount_original', '$.properties.amount', 'number') }},
        {{ json_text(payload, '$.properties.deal_currency_code') }} as currency_original,
        {{ json_text(payload, '$.properties.hs_is_closed') }} = 'true' as is_closed,
        {{ json_text(payload, '$.properties.hs_is_closed_won') }} = 'true' as is_closed_won,
        {{ checked_field(payload, 'created_at', '$.properties.createdate', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.properties.createdate'))) }} as created_date,
        -- HubSpot's closedate is the forecast on an open deal and the actual close once it is closed.
        {{ checked_field(payload, 'closedate_at', '$.properties.closedate', 'timestamp') }},
        -- Archived deals come from the archived=true listing; a key scan may also find one gone.
        _is_deleted or coalesce({{ json_text(payload, '$.archived') }} = 'true', false) as is_archived,
        {{ to_utc(json_text(payload, '$.archivedAt')) }} as archived_at,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
),

closing as (
    select
        renamed.*,
        case when renamed.is_closed then renamed.closedate_at end as closed_at,
        case when renamed.is_closed then {{ local_date('renamed.closedate_at') }} end as close_date,
        case when not renamed.is_closed then {{ local_date('renamed.closedate_at') }} end as expected_close_date
    from renamed
)

select * from closing
