{#-
    The exceptions: every reference that does not resolve to an HR employee or department, with the
    reason and how many records point at it. Nothing is dropped silently: these rows are what a data
    steward fixes, at the source or in the mapping seeds.
-#}
with

cost_centers as (
    select * from {{ ref('int_cost_centers_mapped') }} where not is_mapped
),

gl_entries as (
    select cost_center_id, count(*) as records from {{ ref('stg_erp__gl_entries') }} group by cost_center_id
),

employees as (
    select * from {{ ref('int_employees_mapped') }} where not is_mapped
),

people as (
    select * from {{ ref('int_people_resolved') }} where not is_resolved
),

issues as (
    {% set streams = ['rd_issues', 'implementation_projects', 'service_requests', 'security_patrols',
        'customer_complaints'] -%}
    {% for stream in streams -%}
    select assignee_account_id from {{ ref('stg_ticketing__' ~ stream) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

issues_per_assignee as (
    select assignee_account_id, count(*) as records from issues group by assignee_account_id
),

deals_per_owner as (
    select owner_id, count(*) as records from {{ ref('stg_crm__deals') }} group by owner_id
),

requester_aliases as (
    select lower(trim(alias)) as alias_key
    from {{ ref('department_aliases') }}
    where source_system = 'ticketing' and alias_kind = 'requesting_department'
),

unmapped_requester_texts as (
    select requesting_department_name, count(*) as records
    from {{ ref('stg_ticketing__service_requests') }}
    where requesting_department_name is not null
        and lower(trim(requesting_department_name)) not in (select requester_aliases.alias_key from requester_aliases)
    group by requesting_department_name
),

exceptions as (
    select
        'erp' as source_system,
        'cost_center' as reference_kind,
        cost_centers.cost_center_id as reference_value,
        cost_centers.cost_center_name as reference_label,
        'cost center not in the department mapping (seed department_aliases)' as reason,
        coalesce(gl_entries.records, 0) as referencing_records
    from cost_centers
    left join gl_entries on gl_entries.cost_center_id = cost_centers.cost_center_id

    union all

    select
        'hr', 'department_name', employees.hr_department_name, employees.employee_id,
        'HR department name not in the department mapping (seed department_aliases)', 1
    from employees

    union all

    select
        people.source_system,
        case when people.source_system = 'crm' then 'crm_owner' else 'jira_account' end,
        people.person_id,
        people.email,
        'no HR employee with this work email, and not in the mapping (seed person_mapping)',
        coalesce(issues_per_assignee.records, deals_per_owner.records, 0)
    from people
    left join issues_per_assignee
        on people.source_system = 'ticketing' and issues_per_assignee.assignee_account_id = people.person_id
    left join deals_per_owner
        on people.source_system = 'crm' and deals_per_owner.owner_id = people.person_id

    union all

    select
        'ticketing', 'requesting_department', requesting_department_name, null,
        'requesting department text not in the department mapping (seed department_aliases)', records
    from unmapped_requester_texts
)

select * from exceptions
