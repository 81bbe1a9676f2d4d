"""Names of the demo members, as their people write them (demo/member_plans.py draws them)."""

from __future__ import annotations

import random

from members.models import Gender

from .data.members import (
    EDE_FEMALE_GIVEN,
    EDE_MALE_GIVEN,
    FAMILIES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    HMONG_FEMALE_GIVEN,
    HMONG_MALE_GIVEN,
    HMONG_MALE_MIDDLE,
    KINH_FAMILIES,
    MALE_GIVEN,
    MALE_MIDDLE,
)


def _weighted(rng: random.Random, items: list[tuple[str, int]]) -> str:
    return rng.choices([item for item, _weight in items], weights=[weight for _item, weight in items])[0]


def full_name(rng: random.Random, ethnicity: str, gender: str) -> str:
    """A name as written on a member card: family name first, except the Ê Đê's (Y Bhin Niê, H'Hen Niê)."""
    female = gender == Gender.FEMALE
    family = _weighted(rng, FAMILIES.get(ethnicity, KINH_FAMILIES))
    if ethnicity == "Ê Đê":
        return f"H'{rng.choice(EDE_FEMALE_GIVEN)} {family}" if female else f"Y {rng.choice(EDE_MALE_GIVEN)} {family}"
    if ethnicity == "H'Mông":
        if female:
            return f"{family} Thị {rng.choice(HMONG_FEMALE_GIVEN)}"
        return f"{family} {rng.choice(HMONG_MALE_MIDDLE)} {rng.choice(HMONG_MALE_GIVEN)}"
    if female:
        return f"{family} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"
    return f"{family} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
