"""The simulator only where it is meant: a partly configured deployment is refused, naming what to set."""

from __future__ import annotations

import os
import sys

import pytest

from connectors.deployment import PartialConfiguration, plan_sources
from connectors.settings import SIMULATOR_ORIGIN
from connectors.sources import SOURCES
from tests.conftest import BUILTIN_SOURCES
from tests.deployment_helpers import environment_with, run_command

CRM_ONLY = {"DCW_CRM_BASE_URL": "https://api.hubapi.com", "DCW_CRM_ACCESS_TOKEN": "pat-eu1-secret"}
# What the refusal says for a deployment that configures the CRM only: every other source, with exactly
# the variables it lacks (the ERP's two ways to authenticate), and the way out.
CRM_ONLY_REFUSAL = (
    "Not every source is configured, and the bundled simulator stands in only when none is: "
    "hr (BambooHR): set DCW_HR_BASE_URL and DCW_HR_API_KEY; "
    "erp (OData v4 for SAP S/4HANA and Dynamics 365): set DCW_ERP_BASE_URL and DCW_ERP_TOKEN, "
    "or DCW_ERP_USERNAME and DCW_ERP_PASSWORD; "
    "ticketing (Jira Cloud REST v3): set DCW_TICKETING_BASE_URL, DCW_TICKETING_EMAIL and "
    "DCW_TICKETING_API_TOKEN; "
    "or set DCW_SIMULATOR=1 to read the unconfigured ones from the bundled simulator."
)


@pytest.fixture()
def configured(monkeypatch):
    """Set exactly these DCW_ source variables (all others unset)."""
    for name in list(os.environ):
        if name.startswith("DCW_"):
            monkeypatch.delenv(name)

    def configure(variables: dict[str, str]) -> None:
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return configure


def test_with_nothing_configured_the_simulator_serves_every_source(configured):
    configured({})
    assert plan_sources(BUILTIN_SOURCES) == dict.fromkeys(BUILTIN_SOURCES)


def test_a_fully_configured_deployment_reads_only_its_services(configured):
    configured(
        {
            **CRM_ONLY,
            "DCW_HR_BASE_URL": "https://api.bamboohr.com/api/gateway.php/acme/v1",
            "DCW_HR_API_KEY": "hr-key",
            "DCW_ERP_BASE_URL": "https://user:pw@s4.example.com/sap/opu/odata4/x?sap-client=100",
            "DCW_ERP_USERNAME": "COMM_USER",
            "DCW_ERP_PASSWORD": "erp-password",
            "DCW_TICKETING_BASE_URL": "https://acme.atlassian.net",
            "DCW_TICKETING_EMAIL": "bot@acme.example.com",
            "DCW_TICKETING_API_TOKEN": "jira-token",
        }
    )
    plan = plan_sources(BUILTIN_SOURCES)
    assert {name: s.origin for name, s in plan.items()} == {
        "hr": "api.bamboohr.com",
        "erp": "s4.example.com",  # the host only: no user, password, path or query
        "ticketing": "acme.atlassian.net",
        "crm": "api.hubapi.com",
    }
    assert SIMULATOR_ORIGIN not in {s.origin for s in plan.values()}


def test_a_partly_configured_deployment_is_refused_naming_each_missing_variable(configured):
    configured(CRM_ONLY)
    with pytest.raises(PartialConfiguration) as refused:
        plan_sources(BUILTIN_SOURCES)
    assert str(refused.value) == CRM_ONLY_REFUSAL
    assert "pat-eu1-secret" not in str(refused.value)


def test_reading_one_unconfigured_source_beside_a_configured_one_is_refused_too(configured):
    """`extract hr` in a deployment whose CRM is real would land invented employees beside it."""
    configured(CRM_ONLY)
    assert set(plan_sources(["crm"])) == {"crm"}
    with pytest.raises(PartialConfiguration, match=r"^[^;]*hr \(BambooHR\): set DCW_HR_BASE_URL"):
        plan_sources(["hr"])


def test_a_configured_source_without_its_credentials_is_refused(configured):
    configured({"DCW_ERP_BASE_URL": "https://s4.example.com/odata", "DCW_ERP_USERNAME": "COMM_USER"})
    with pytest.raises(PartialConfiguration) as refused:
        plan_sources(["erp"])
    assert "erp (OData v4 for SAP S/4HANA and Dynamics 365): set DCW_ERP_PASSWORD, or DCW_ERP_TOKEN." in str(
        refused.value
    )
    configured({"DCW_ERP_PASSWORD": "pw"})
    assert plan_sources(["erp"])["erp"].origin == "s4.example.com"


def test_simulator_1_fills_in_the_unconfigured_sources_but_not_an_incomplete_one(configured):
    configured({**CRM_ONLY, "DCW_SIMULATOR": "1"})
    plan = plan_sources(BUILTIN_SOURCES)
    assert plan["crm"].origin == "api.hubapi.com"
    assert [name for name, s in plan.items() if s is None] == ["hr", "erp", "ticketing"]
    configured({"DCW_HR_API_KEY": "hr-key"})  # HR half configured: no simulator for it
    with pytest.raises(PartialConfiguration) as refused:
        plan_sources(BUILTIN_SOURCES)
    assert str(refused.value).endswith("hr (BambooHR): set DCW_HR_BASE_URL.")


def test_every_source_declares_how_it_authenticates():
    assert {name: s.credentials for name, s in SOURCES.items() if name in BUILTIN_SOURCES} == {
        "hr": (("api_key",),),
        "erp": (("token",), ("username", "password")),
        "ticketing": (("email", "api_token"),),
        "crm": (("access_token",),),
    }
    assert SOURCES["erp"].secret_keys == ("token", "username", "password")


def test_the_cli_refuses_a_partial_configuration_with_one_line(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    done = run_command(
        [sys.executable, "-m", "connectors", "extract", "--warehouse", str(warehouse)],
        env=environment_with(CRM_ONLY),
        timeout=300,
    )
    print(done.stderr)
    assert done.returncode == 2
    assert done.stderr == CRM_ONLY_REFUSAL + "\n" and done.stdout == ""
    assert not warehouse.exists(), "nothing was opened, nothing was read"


def test_the_cli_reads_a_configured_source_alone(tmp_path, simulator):
    """The documented first step: configure one source, extract one of its streams."""
    env = {k: v for k, v in simulator.environment().items() if k.startswith("DCW_CRM_")}
    warehouse = tmp_path / "warehouse.duckdb"
    done = run_command(
        [sys.executable, "-m", "connectors", "extract", "crm.owners", "--warehouse", str(warehouse)],
        env=environment_with(env),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert '"stream": "owners"' in done.stdout and '"status": "succeeded"' in done.stdout
