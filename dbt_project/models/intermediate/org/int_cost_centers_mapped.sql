{#- By id, never by name: the ERP renames cost centers (ADM DEPT became ADM & LOGISTICS). -#}
with

cost_centers as (
    select * from {{ ref('stg_erp__cost_centers') }}
),

aliases as (
    select alias, department_id
    from {{ ref('department_aliases') }}
    where source_system = 'erp' and alias_kind = 'cost_center_id'
),

mapped as (
    select
        cost_centers.cost_center_id,
        cost_centers.cost_center_name,
        aliases.department_id,
        aliases.department_id is not null as is_mapped
    from cost_centers
    left join aliases on aliases.alias = cost_centers.cost_center_id
)

select * from mapped
