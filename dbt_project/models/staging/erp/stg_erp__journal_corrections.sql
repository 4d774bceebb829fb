{{ config(unique_key='journal_correction_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('erp', 'journal_corrections')) }}
),

renamed as (
    select
        _key as journal_correction_id,
        {{ json_text(payload, '$.OriginalEntryID') }} as original_gl_entry_id,
        {{ json_text(payload, '$.ReversalEntryID') }} as reversal_gl_entry_id,
        {{ json_text(payload, '$.Reason') }} as correction_reason,
        lower({{ json_text(payload, '$.PostedByEmail') }}) as posted_by_email,
        {{ checked_field(payload, 'correction_date', '$.CorrectionDate', 'date') }},
        {{ json_text(payload, '$.CostCenterID') }} as cost_center_id,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
