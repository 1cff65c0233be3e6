"""How tiers are coloured on every page, map and graph (their names are :mod:`allies.tiers`)."""

from __future__ import annotations

from allies.model import TIERS

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

assert tuple(COLOURS) == TIERS, "every tier needs a colour"
