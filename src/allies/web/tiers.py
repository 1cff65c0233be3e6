"""How tiers are coloured on every page, map and graph (their names are :mod:`allies.tiers`)."""

from __future__ import annotations

from allies.model import TIERS

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

assert tuple(COLOURS) == TIERS, "every tier needs a colour"
