{{ config(unique_key='cost_center_id') }}
{%- set payload = json_fields('_payload') -%}
with

source as (
    {{ latest_version(source('erp', 'cost_centers')) }}
),

renamed as (
    select
        _key as cost_center_id,
        {{ json_text(payload, '$.CostCenterName') }} as cost_center_name,
        {{ json_text(payload, '$.CompanyCode') }} as company_code,
        {{ to_date(json_text(payload, '$.ValidFrom')) }} as valid_from_date,
        {{ to_date(json_text(payload, '$.ValidTo')) }} as valid_to_date,
        lower({{ json_text(payload, '$.ResponsiblePersonEmail') }}) as responsible_person_email,
        _is_deleted as is_deleted,
        {{ to_utc('_source_updated_at') }} as last_modified_at,
        _extracted_at as extracted_at,
        _record_hash as record_hash,
        {{ field_issues(payload) }}
    from {{ with_json_fields(payload, 'source') }}
)

select * from renamed
