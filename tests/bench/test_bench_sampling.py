"""The bench's memory and CPU figures come from the process tree: a child's memory counts in its group
while it lives, and its CPU seconds stay counted after it exits."""

from __future__ import annotations

import subprocess
import sys

from devtools.bench.sampling import TreeSampler

MIB = 1024 * 1024
HELD_MIB = 200
# Allocates and touches HELD_MIB, says so, and holds it until its stdin closes.
HOLDER = f"import sys; held = bytearray({HELD_MIB} * {MIB}); print('ready', flush=True); sys.stdin.read()"
HANG_BOUND_S = 120


def _holder() -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "ready"
    return child


def _release(child: subprocess.Popen[str]) -> None:
    child.stdin.close()
    child.wait(timeout=HANG_BOUND_S)


def test_a_childs_memory_counts_in_its_group_while_it_lives_and_its_cpu_after():
    sampler = TreeSampler()
    before = sampler.sample()
    child = _holder()
    try:
        product = sampler.sample()
        sampler.add_simulator(child.pid)
        simulator = sampler.sample()
    finally:
        _release(child)
    after = sampler.sample()

    assert product.rss["product"] - before.rss["product"] >= HELD_MIB * MIB
    assert product.rss["harness"] > 0 and product.cpu["harness"] > 0
    # the same process, counted as the simulator once the bench says it is one
    assert simulator.rss["simulator"] >= HELD_MIB * MIB
    assert simulator.rss["product"] < HELD_MIB * MIB
    assert after.rss["simulator"] == 0
    assert after.cpu["simulator"] >= simulator.cpu["simulator"] > 0


def test_a_window_reports_the_peak_between_two_instants():
    sampler = TreeSampler()
    start = sampler.sample().at
    child = _holder()
    try:
        sampler.sample()
    finally:
        _release(child)
    end = sampler.sample().at

    window = sampler.window(start, end, ("product",))
    assert window["peak_rss"] >= HELD_MIB * MIB
    assert window["peak_rss_by_group"]["product"] == window["peak_rss"]
    assert sampler.window(end + 1, end + 2)["peak_rss"] == 0
