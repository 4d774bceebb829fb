"""A read that would mark more than a stated share of a stream's live keys deleted stops and marks none,
unless that stream is accepted; a small, real deletion is still recorded.

Full reads (CRM owners) and OData key scans (ERP budgets) from the stub server, through the real
`extract_stream` and the CLI; the second read answers with fewer keys than the first.
"""

from __future__ import annotations

import pytest

from connectors.cli import main
from connectors.core.errors import MassDeletionError
from connectors.landing.raw_store import RawStore
from connectors.landing.runner import extract_stream
from connectors.settings import (
    ACCEPT_DELETES_ENV,
    DELETE_SHARE_LIMIT_ENV,
    DeletionPolicy,
    deletion_policy,
    env_name,
)
from connectors.sources import SOURCES
from tests.conftest import FAST_RETRY
from tests.connectors.stub_sources import (
    PREFIX,
    SECRET,
    SECRETS,
    assert_failed_cleanly,
    budgets,
    hubspot_list,
    odata,
    owners,
    serve_all,
    settings_for,
    snapshot,
)

pytestmark = pytest.mark.timeout(120)

OWNERS_LANDED = 60


def _owners_then(stub, store, remaining: int, count: int = OWNERS_LANDED, **options):
    """Land `count` owners, then read again while the source lists only the first `remaining`."""
    serve_all(stub)
    stub.route("/crm/v3/owners", hubspot_list(owners(count)))
    settings = settings_for("crm", stub)
    extract_stream(store, SOURCES["crm"], settings, "owners", retry=FAST_RETRY)
    stub.route("/crm/v3/owners", hubspot_list(owners(remaining)))
    return lambda: extract_stream(store, SOURCES["crm"], settings, "owners", retry=FAST_RETRY, **options)


def _deleted(store, table: str) -> int:
    return store.query(f"select count(*) from raw.{table} where _is_deleted")[0][0]


def test_a_full_read_that_would_delete_most_keys_stops_and_marks_none(stub_server, tmp_path):
    with RawStore(tmp_path / "w.duckdb") as store:
        read_again = _owners_then(stub_server, store, remaining=5)
        before = snapshot(store, "crm", "owners")
        with pytest.raises(MassDeletionError) as caught:
            read_again()
        message = assert_failed_cleanly(store, "crm", "owners", caught.value, before)
    assert message == (
        "[crm/owners] would mark 55 of 60 live keys of crm/owners deleted (92% > 20%); nothing was marked "
        "deleted. A source that answers with too little (a narrowed credential scope, a filter, a partial "
        "export) looks exactly like this: check it first. If the source really deleted them, rerun with "
        "`python -m connectors extract crm.owners --accept-deletes crm.owners` (or "
        "DCW_ACCEPT_DELETES=crm.owners for one run)"
    )


def test_an_accepted_mass_deletion_is_recorded(stub_server, tmp_path):
    with RawStore(tmp_path / "w.duckdb") as store:
        read_again = _owners_then(
            stub_server, store, remaining=5, deletions=DeletionPolicy(accepted=frozenset({"crm.owners"}))
        )
        result = read_again()
        assert (result.status, result.rows_tombstoned) == ("succeeded", 55)
        assert _deleted(store, "crm__owners") == 55


def test_a_source_accepted_by_name_in_the_environment_accepts_all_its_streams(
    stub_server, tmp_path, monkeypatch
):
    monkeypatch.setenv(ACCEPT_DELETES_ENV, "erp, crm")
    with RawStore(tmp_path / "w.duckdb") as store:
        assert _owners_then(stub_server, store, remaining=0)().rows_tombstoned == OWNERS_LANDED


@pytest.mark.parametrize(
    ("landed", "remaining", "tombstoned"),
    [
        (60, 59, 1),  # one owner left the company
        (60, 48, 12),  # exactly 20%: not more than the share
        (3, 2, 1),  # a tiny stream may always lose one key
        (60, 47, None),  # 13 of 60 is more than 20%
        (3, 1, None),  # 2 of 3
    ],
)
def test_the_share_limit_lets_a_small_deletion_through(stub_server, tmp_path, landed, remaining, tombstoned):
    with RawStore(tmp_path / "w.duckdb") as store:
        read_again = _owners_then(stub_server, store, remaining=remaining, count=landed)
        if tombstoned is None:
            with pytest.raises(MassDeletionError, match=f"would mark {landed - remaining} of {landed} live"):
                read_again()
            assert _deleted(store, "crm__owners") == 0
        else:
            assert read_again().rows_tombstoned == tombstoned == _deleted(store, "crm__owners")


def test_the_share_limit_is_a_setting(stub_server, tmp_path, monkeypatch):
    monkeypatch.setenv(DELETE_SHARE_LIMIT_ENV, "0.5")
    with RawStore(tmp_path / "w.duckdb") as store:
        assert _owners_then(stub_server, store, remaining=31)().rows_tombstoned == 29
    monkeypatch.setenv(DELETE_SHARE_LIMIT_ENV, "20%")
    with pytest.raises(ValueError, match="DCW_DELETE_SHARE_LIMIT='20%': set a share between 0 and 1"):
        deletion_policy()


def test_a_key_scan_that_would_delete_most_rows_stops_and_marks_none(stub_server, tmp_path):
    serve_all(stub_server)
    settings = settings_for("erp", stub_server)
    with RawStore(tmp_path / "w.duckdb") as store:
        extract_stream(store, SOURCES["erp"], settings, "budgets", retry=FAST_RETRY)
        stub_server.route("/erp/Budgets", odata(stub_server, budgets(10)))
        before = snapshot(store, "erp", "budgets")
        with pytest.raises(MassDeletionError) as caught:
            extract_stream(store, SOURCES["erp"], settings, "budgets", retry=FAST_RETRY, reconcile=True)
        message = assert_failed_cleanly(store, "erp", "budgets", caught.value, before)
        assert "would mark 40 of 50 live keys of erp/budgets deleted (80% > 20%)" in message
        accepted = DeletionPolicy(accepted=frozenset({"erp.budgets"}))
        result = extract_stream(
            store, SOURCES["erp"], settings, "budgets", retry=FAST_RETRY, reconcile=True, deletions=accepted
        )
        assert result.rows_tombstoned == 40 == _deleted(store, "erp__budgets")


def test_the_cli_accepts_a_mass_deletion_only_when_asked(stub_server, tmp_path, monkeypatch, capsys):
    for source, prefix in PREFIX.items():
        monkeypatch.setenv(env_name(source, "base_url"), stub_server.url + prefix)
        for key, value in SECRETS[source].items():
            monkeypatch.setenv(env_name(source, key), value)
    serve_all(stub_server)
    warehouse = str(tmp_path / "w.duckdb")
    assert main(["extract", "crm.owners", "--warehouse", warehouse]) == 0
    stub_server.route("/crm/v3/owners", hubspot_list(owners(5)))
    assert main(["extract", "crm.owners", "--warehouse", warehouse]) == 1
    refused = capsys.readouterr().err
    assert "FAILED: [crm/owners] would mark 55 of 60 live keys" in refused and SECRET not in refused
    with pytest.raises(SystemExit, match="crm: no stream 'owner'"):
        main(["extract", "crm.owners", "--warehouse", warehouse, "--accept-deletes", "crm.owner"])
    assert main(["extract", "crm.owners", "--warehouse", warehouse, "--accept-deletes", "crm.owners"]) == 0
    assert '"rows_tombstoned": 55' in capsys.readouterr().out
