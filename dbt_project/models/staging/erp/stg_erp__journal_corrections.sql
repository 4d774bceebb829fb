{{ config(unique_key='journal_correction_id') }}
with

source as (
    {{ latest_version(source('erp', 'journal_corrections')) }}
),

renamed as (
    select
        _key as journal_correction_id,
        {{ json_text('_payload', '$.OriginalEntryID') }} as original_gl_entry_id,
        {{ json_text('_payload', '$.ReversalEntryID') }} as reversal_gl_entry_id,
        {{ json_text('_payload', '$.Reason') }} as correction_reason,
        lower({{ json_text('_payload', '$.PostedByEmail') }}) as posted_by_email,
        {{ to_date(json_text('_payload', '$.CorrectionDate')) }} as correction_date,
        {{ json_text('_payload', '$.CostCenterID') }} as cost_center_id,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash
    from source
)

select * from renamed
