{#-
    Who serves whom: every service desk request with the department that served it (its assignee's) and
    the department that asked (the requester's own spelling of it, through the mapping seed). The
    support contribution and the collaboration matrix are both read from here. Requests whose
    requesting department does not map keep a null requesting_department_id (and are listed in
    int_references_unresolved).
-#}
with

requests as (
    select * from {{ ref('stg_ticketing__service_requests') }} where not is_deleted
),

assignees as (
    select person_id as account_id, department_id
    from {{ ref('int_person_departments') }}
    where source_system = 'ticketing'
),

{#- Matched case-insensitively, so "HR" and "hr" are one spelling (the seed lists both). -#}
requester_aliases as (
    select distinct lower(trim(alias)) as alias_key, department_id
    from {{ ref('department_aliases') }}
    where source_system = 'ticketing' and alias_kind = 'requesting_department'
),

final as (
    select
        requests.issue_id,
        requests.issue_key,
        assignees.department_id as serving_department_id,
        requester_aliases.department_id as requesting_department_id,
        requests.requesting_department_name,
        requests.created_date,
        requests.resolved_date,
        requests.first_responded_date,
        requests.first_response_sla_elapsed_hours,
        requests.resolved_date is not null and not requests.is_resolution_sla_breached as is_resolved_within_sla,
        requests.satisfaction_rating
    from requests
    inner join assignees on assignees.account_id = requests.assignee_account_id
    left join requester_aliases
        on requester_aliases.alias_key = lower(trim(requests.requesting_department_name))
)

select * from final
