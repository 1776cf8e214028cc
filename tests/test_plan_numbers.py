"""Every number in the plan is a target or a ledger entry."""

from __future__ import annotations

from huachi_analysis import plan
from huachi_analysis.plan.numbers import number_occurrences, unaccounted_numbers


def test_every_number_in_the_plan_is_accounted_for():
    u = plan.unaccounted()
    listing = "\n".join(f"  {r.number!r} at {r.start} (clause {r.clause or '-'}): …{r.context}…"
                        for r in u.itertuples())
    assert u.empty, f"{len(u)} numbers are neither in a target quote nor a ledger context:\n{listing}"


def test_number_occurrences_count_every_match():
    occ = number_occurrences(plan.text())
    assert len(occ) > 300
    assert "15.55" in set(occ["number"]) and "2.78" in set(occ["number"])


def test_coverage_rule_inline():
    text = "1.甲。2015年脱贫9897人，贫困面下降到15.55%，共印120份"
    u = unaccounted_numbers(text, ["2015年脱贫9897人", "下降到15.5"], ["1.甲"])
    # 15.55 is only partly inside "下降到15.5": not covered; 120 is not covered at all
    assert u["number"].tolist() == ["15.55", "120"]
    assert u["context"].iloc[1].endswith("共印120份")
    assert unaccounted_numbers(text, ["贫困面下降到15.55%"], ["1.甲", "2015年脱贫9897人",
                                                           "共印120份"]).empty


def test_ledger_contexts_are_verbatim():
    text = plan.text()
    led = plan.number_ledger()
    assert all(c in text for c in led["context"])
    assert all(n in c for n, c in zip(led["number"], led["context"], strict=True))
