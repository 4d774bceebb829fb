{{ config(unique_key='review_id') }}
{%- set payload = json_fields('_payload') -%}
{#- Rows of the 360 custom report: BambooHR has no review id, so the raw key is id|cycle|role. -#}
with

source as (
    {{ latest_version(source('hr', 'reviews')) }}
),

renamed as (
    select
        _key as review_id,
        {{ json_text(payload, '$.id') }} as employee_id,
        {{ json_text(payload, '$.customReviewCycle') }} as review_cycle,
        {{ json_text(payload, '$.customReviewerRole') }} as reviewer_role,
        {{ checked_field(payload, 'review_score', '$.customReviewScore', 'number') }},
        {{ checked_field(payload, 'reviewer_count', '$.customReviewerCount', 'integer') }},
        {{ to_date(json_text(payload, '$.customReviewDate')) }} as review_date,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
