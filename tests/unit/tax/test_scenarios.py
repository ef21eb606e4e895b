"""The tax officer's scenario files (tests/unit/tax/scenarios/*.yaml): inputs → every
expected figure, computed by hand from the law.  Each scenario runs through both the plain
per-person calculator and the numpy batch calculator, and says where its expected values
come from: a published official worked example (``source: published`` + ``url``) or the
articles it applies (``source: article``; ``reference`` names them)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from municloud.modules.tax import calc
from tests.unit.tax.support import rules, vector_figures

SCENARIOS = Path(__file__).parent / "scenarios"


def _scenarios():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        for i, s in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            yield pytest.param(s, id=f"{path.stem}[{i}] {s['name']}")


ALL = list(_scenarios())


def test_there_are_scenarios_for_both_years_and_every_rule_file():
    years = {p.values[0]["year"] for p in ALL}
    assert {2025, 2026} <= years
    assert len(ALL) >= 60


@pytest.mark.parametrize("scenario", ALL)
def test_every_expected_value_cites_a_published_example_or_the_articles_it_applies(scenario):
    assert scenario.get("reference", "").strip(), "name the articles applied"
    assert scenario.get("source") in ("published", "article")
    if scenario["source"] == "published":
        assert str(scenario.get("url", "")).startswith("https://"), "a published example needs its URL"
    else:
        assert "url" not in scenario


def test_the_readme_lists_every_published_example():
    readme = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    published = [p.values[0] for p in ALL if p.values[0]["source"] == "published"]
    assert published, "at least one scenario reproduces a published official example"
    assert [s["url"] for s in published if s["url"] not in readme] == []


@pytest.mark.parametrize("scenario", ALL)
def test_scenario(tax_platform, scenario):
    data = scenario["input"]
    case = calc.case_from_json(data)
    r = rules(tax_platform, scenario["year"], data, scenario.get("parameters"))
    expected = scenario["expected"]
    plain = calc.compute(case, r)
    batch = vector_figures(case, r)
    wrong_plain = {k: (v, plain[k]) for k, v in expected.items() if plain[k] != v}
    wrong_batch = {k: (v, batch[k]) for k, v in expected.items() if batch[k] != v}
    assert wrong_plain == {}, "expected, plain calculator"
    assert wrong_batch == {}, "expected, batch calculator"
