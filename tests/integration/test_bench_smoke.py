"""``make bench`` still runs: each part at a tiny size, every figure a positive number beside
a positive floor.  (A rule added to the registry once broke the registry part — its tenant
was not the municipality its addresses name — and no test noticed.)  Speed is not judged
here: the figures live in ``bench/README.md``."""

from __future__ import annotations

import os

import pytest

PG_URL = os.environ.get("MUNICLOUD_TEST_DATABASE_URL")
SEED = 20261126


def _parts():
    from bench import certificates, portability, registry, search, tax

    return {
        "registry": lambda: registry.run(3000, PG_URL, 20, 10, SEED),
        "search": lambda: search.run(1500, PG_URL, 10, SEED),
        "certificates": lambda: certificates.run(PG_URL, runs=2, warmup=1),
        "portability": lambda: portability.run(1500, PG_URL, SEED),
        "tax": lambda: tax.run(1500, PG_URL, SEED),
    }


#: Figures a part must report (issue #10 §7: the registry part pages through search results and
#: opens resident pages; ``search`` runs those alone).
EXPECTED = {
    "registry": ["paginated search (page + total) p95 (ms)", "resident page (HTML) p95 (ms)"],
    "search": ["paginated search (page + total) p95 (ms)", "search screen, 50 rows + pages p95 (ms)",
               "resident page (HTML) p95 (ms)"],
}


@pytest.mark.parametrize("part", ["registry", "search", "certificates", "portability", "tax"])
def test_a_benchmark_part_runs_and_reports_every_figure_beside_its_floor(part):
    report = _parts()[part]()
    assert report.figures, part
    names = [f.name for f in report.figures]
    assert all(name in names for name in EXPECTED.get(part, [])), names
    for figure in report.figures:
        assert figure.value > 0, figure.name
        if figure.floor is not None:
            assert figure.floor > 0 and figure.ratio is not None and figure.ratio > 0, figure.name
