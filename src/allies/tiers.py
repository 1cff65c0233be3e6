"""What each tier is called and what it means, written once for the CLI, the API and the pages.

One record per tier of :data:`allies.model.TIERS`, in the same order (highest first;
``tests/test_architecture.py`` checks it). How a tier is coloured on a map or a graph is the web's
concern (``allies.web.tiers``). The module imports nothing of the package, so the CLI can
list the tiers in its help without loading the model.
"""

from __future__ import annotations


class TierName:
    """How a tier reads in prose: "Treaty ally", "1 treaty ally", "44 treaty allies".

    A plain class rather than a dataclass: the CLI imports this module at start-up.
    """

    __slots__ = ("description", "id", "label", "plural", "singular")

    def __init__(self, id: str, label: str, singular: str, plural: str, description: str) -> None:
        self.id = id
        self.label = label
        self.singular = singular
        self.plural = plural
        self.description = description

    @property
    def title(self) -> str:
        """The plural as a heading: "Treaty allies"."""
        return self.plural[0].upper() + self.plural[1:]

    def noun(self, n: int) -> str:
        """What ``n`` states of this tier are called, capitalised: "Treaty allies", "Partner"."""
        word = self.singular if n == 1 else self.plural
        return word[0].upper() + word[1:]

    def count(self, n: int) -> str:
        """ "44 treaty allies", "1 designated partner"."""
        return f"{n} {self.singular if n == 1 else self.plural}"


NAMES: dict[str, TierName] = {
    t.id: t
    for t in (
        TierName(
            "treaty_ally",
            "Treaty ally",
            "treaty ally",
            "treaty allies",
            "party with the United States to a collective-defense treaty in force",
        ),
        TierName(
            "compact_state",
            "Compact state",
            "compact state",
            "compact states",
            "freely associated state under a Compact of Free Association",
        ),
        TierName(
            "mnna",
            "Major Non-NATO Ally",
            "Major Non-NATO Ally",
            "Major Non-NATO Allies",
            "designated a Major Non-NATO Ally (or treated as though designated), without a treaty",
        ),
        TierName(
            "designated_partner",
            "Designated partner",
            "designated partner",
            "designated partners",
            "another formal US designation, such as Major Defense Partner",
        ),
        TierName(
            "partner",
            "Partner",
            "partner",
            "partners",
            "a formal partnership, statute or consultative mechanism with the United States",
        ),
        TierName(
            "none",
            "No listed relationship",
            "no listed relationship",
            "states with no listed relationship",
            "none of the above in the registry",
        ),
    )
}
"""Every tier's names, in the order of :data:`allies.model.TIERS`."""


def count_phrase(n: int, tier: str) -> str:
    """ "44 treaty allies", "1 designated partner"."""
    return NAMES[tier].count(n)


def noun(n: int, tier: str) -> str:
    """What ``n`` states of a tier are called, capitalised: "Treaty allies", "Partner"."""
    return NAMES[tier].noun(n)


CHOICES = ", ".join(f"{t} ({n.label})" for t, n in NAMES.items() if t != "none")
"""The tiers a filter accepts, named: "treaty_ally (Treaty ally), compact_state (Compact state), …"."""
