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
# Colour-blind-safe (Okabe–Ito based); each has at least 3:1 contrast with the map's background.
COLOURS: dict[str, str] = {
    "treaty_ally": "#0b4f8a",
    "compact_state": "#7a3b8f",
    "mnna": "#1a8a5a",
    "designated_partner": "#c35a00",
    "partner": "#d4a000",
    "none": "#d9d9d9",
}
US_COLOUR = "#1b1b1b"
NODATA_COLOUR = "#efefef"

assert tuple(LABELS) == TIERS, "every tier needs a label"
