{{ config(unique_key='job_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('hr', 'jobs')) }}
),

renamed as (
    select
        _key as job_id,
        {{ json_text(payload, '$.title.label') }} as job_title,
        {{ json_text(payload, '$.status.label') }} as job_status,
        {{ json_text(payload, '$.department.label') }} as hr_department_name,
        {{ json_text(payload, '$.location.label') }} as location_name,
        {{ checked_field(payload, 'posted_at', '$.postedDate', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.postedDate'))) }} as posted_date,
        {{ checked_field(payload, 'filled_at', '$.filledDate', 'timestamp') }},
        {{ local_date(to_utc(json_text(payload, '$.filledDate'))) }} as filled_date,
        cast({{ to_number(json_text(payload, '$.newApplicantsCount')) }} as integer) as new_applicants_count,
        cast({{ to_number(json_text(payload, '$.activeApplicantsCount')) }} as integer) as active_applicants_count,
        cast({{ to_number(json_text(payload, '$.totalApplicantsCount')) }} as integer) as total_applicants_count,
        _is_deleted as is_deleted,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
