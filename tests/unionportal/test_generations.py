"""The generations of the figures (unionportal/generations.py): a bump moves exactly the stamps it should,
and no stamp ever comes back, after a bump or an eviction."""

from __future__ import annotations

from django.core.cache import cache

from unionportal import generations

DISTRICT, BRANCH, SIBLING = "00010001", "000100010001", "000100010002"


def test_a_bump_in_one_body_moves_its_stamp_and_those_above_not_its_siblings():
    cache.clear()
    before = {path: generations.key_for(path, 7) for path in ("0001", DISTRICT, BRANCH, SIBLING)}
    other_program = generations.key_for(BRANCH, 8)
    generations.bump_after_commit(within=[BRANCH], programs=[7])
    after = {path: generations.key_for(path, 7) for path in before}
    assert {path for path in before if after[path] != before[path]} == {"0001", DISTRICT, BRANCH}
    assert all(after[path].settled == before[path].settled for path in before)  # typed figures only
    assert generations.key_for(BRANCH, 8) == other_program  # another program's figures: not moved


def test_no_stamp_comes_back_after_bumps_or_an_eviction():
    cache.clear()
    seen = {generations.key_for(BRANCH, 7)}
    for _ in range(20):
        generations.bump_after_commit(within=[BRANCH], programs=[7])
        seen.add(generations.key_for(BRANCH, 7))
    cache.delete(generations.PREFIX + f"own:{BRANCH}:7")  # evicted
    seen.add(generations.key_for(BRANCH, 7))
    generations.bump_after_commit(everything=True)
    seen.add(generations.key_for(BRANCH, 7))
    assert len(seen) == 23
