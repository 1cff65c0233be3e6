"""How tiers are named and coloured on every page, map and graph (one place for all of them)."""

from __future__ import annotations

from allies.model import TIERS

LABELS: dict[str, str] = {
    "treaty_ally": "Treaty ally",
    "compact_state": "Compact state",
    "mnna": "Major Non-NATO Ally",
    "designated_partner": "Designated partner",
    "partner": "Partner",
    "none": "No listed relationship",
}
PLURALS: dict[str, str] = {
    "treaty_ally": "treaty allies",
    "compact_state": "compact states",
    "mnna": "Major Non-NATO Allies",
    "designated_partner": "designated partners",
    "partner": "partners",
    "none": "states with no listed relationship",
}
TITLES: dict[str, str] = {tier: plural[0].upper() + plural[1:] for tier, plural in PLURALS.items()}
SINGULARS: dict[str, str] = {
    "treaty_ally": "treaty ally",
    "compact_state": "compact state",
    "mnna": "Major Non-NATO Ally",
    "designated_partner": "designated partner",
    "partner": "partner",
    "none": "no listed relationship",
}


def noun(n: int, tier: str) -> str:
    """What ``n`` states of a tier are called, capitalised: "Treaty allies", "Partner"."""
    word = SINGULARS[tier] if n == 1 else PLURALS[tier]
    return word[0].upper() + word[1:]


def count_phrase(n: int, tier: str) -> str:
    """ "44 treaty allies", "1 designated partner"."""
    return f"{n} {SINGULARS[tier] if n == 1 else PLURALS[tier]}"


DESCRIPTIONS: dict[str, str] = {
    "treaty_ally": "party with the United States to a collective-defense treaty in force",
    "compact_state": "freely associated state under a Compact of Free Association",
    "mnna": "designated a Major Non-NATO Ally (or treated as though designated), without a treaty",
    "designated_partner": "another formal US designation, such as Major Defense Partner",
    "partner": "a formal partnership, statute or consultative mechanism with the United States",
    "none": "none of the above in the registry",
}
# Told apart by people with protanopia, deuteranopia and tritanopia: every pair of these colours (the
# ocean and "not in the registry" included) stays at least 15 CIEDE2000 apart under the Machado, Oliveira
# and Fernandes (2009) simulation of each (tests/web/test_palette.py checks it).
COLOURS: dict[str, str] = {
    "treaty_ally": "#12346e",
    "compact_state": "#bd59c4",
    "mnna": "#0c7463",
    "designated_partner": "#e64504",
    "partner": "#efcf2c",
    "none": "#a09f9c",
}
US_COLOUR = "#171615"
NODATA_COLOUR = "#f6f6ef"
"""Land not in the registry (Western Sahara, Somaliland…), and land no state held on the day."""
OCEAN_COLOUR = "#aecbea"

assert tuple(LABELS) == TIERS, "every tier needs a label"
