"""Headline figures on a day: how many states hold each tier, through how many arrangements."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from allies.model import TIERS
from allies.registry import Registry
from allies.status import StateStatus, allies

if TYPE_CHECKING:
    from allies import shapes


def tier_counts(registry: Registry, on: dt.date) -> dict[str, int]:
    """How many states hold each tier on ``on`` (``none`` left out)."""
    return counts_by_tier(allies(registry, on))


def counts_by_tier(results: list[StateStatus]) -> dict[str, int]:
    """How many of ``results`` (an answer of :func:`allies.status.allies`) hold each tier as their highest."""
    counts = Counter(s.tier for s in results)
    return {tier: counts.get(tier, 0) for tier in TIERS if tier != "none"}


def holders(registry: Registry, on: dt.date) -> dict[str, int]:
    """How many states hold each tier on ``on`` at all, whether or not it is their highest.

    A treaty ally that is also a Major Non-NATO Ally counts under both: the figures of
    :func:`tier_counts` (each state once, under its highest tier) are never larger.
    """
    counts: Counter[str] = Counter(
        t for s in allies(registry, on) for t in {st.tier for st in s.statuses if st.counts}
    )
    return {tier: counts.get(tier, 0) for tier in TIERS if tier != "none"}


def arrangements_in_force(registry: Registry, on: dt.date) -> list[str]:
    """Ids of the arrangements through which at least one state holds a tier on ``on``."""
    found = {s.arrangement.id for r in allies(registry, on) for s in r.statuses if s.counts}
    return sorted(found)


def figures(registry: Registry, on: dt.date) -> shapes.Figures:
    """Headline figures: states per tier, their total, and the arrangements they hold it through."""
    counts = tier_counts(registry, on)
    return {
        "tiers": counts,
        "total": sum(counts.values()),
        "arrangements": len(arrangements_in_force(registry, on)),
    }
