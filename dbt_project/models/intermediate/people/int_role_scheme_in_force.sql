{#- The role template lines each period is scored under (macro scheme_in_force: latest version in force per role). -#}
{{ scheme_in_force(ref('role_scoring_scheme'), 'role_id') }}
