"""The schema of the continuation records (``allies/continuation/data/records/*.yaml``).

One record per file, its ``id`` the file's name. A record is either a new alliance
(``kind: new``) or a change to an alliance ATOP lists as in force at the end of 2018
(``atopid`` given). As everywhere in ``allies``, unknown keys are rejected and every
fact cites a source with a locator (:mod:`allies.model`).

ATOP's coding rules are kept: membership counts from **signature** (of the treaty, or
for an accession of the accession protocol, as ATOP dates NATO's entrants); entry
into force is recorded beside it as a separate fact. An ending counts from the day
the obligation ceased (``ended``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from allies.model import DatedFact, Id, Sources
from allies.schema import Model

OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")

RecordKind = Literal["new", "accession", "withdrawal", "termination", "expiry", "suspension"]
ENDINGS = ("withdrawal", "termination", "expiry")
Flag = Literal[0, 1] | None

CARRY_FORWARD_RULE = (
    "Alliances in force at the end of 2018 (ATOP yrexit = 0) are carried forward to today, member by "
    "member and with the obligations of their last ATOP phase, unless a continuation record ends or "
    "changes them; values after 2018 come from ATOP's carried-forward alliances plus the continuation "
    "records, following ATOP's coding rules (membership from signature)."
)


class Obligations(Model):
    """A member's obligations, ATOP's five, each stated: 1, 0, or null where the text read cannot decide."""

    defense: Flag
    offense: Flag
    neutral: Flag
    nonagg: Flag
    consul: Flag

    def flags(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in OBLIGATIONS}


class Member(Model):
    """A state in a record: joining (new, accession), leaving (endings) or declaring (suspension)."""

    state: Annotated[int, Field(ge=2, le=999, description="COW state code")]
    name: str
    obligations: Obligations | None = None
    note: str | None = None


class Operative(Model):
    """The operative article of an alliance, quoted, with its sources."""

    article: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    sources: Sources


class Record(Model):
    """One continuation record: a new alliance, or a change to one ATOP lists in force at the end of 2018."""

    id: Id
    kind: RecordKind
    title: str
    alliance: str
    summary: str
    atopid: Annotated[int, Field(ge=1000, le=9999)] | None = None
    signed: DatedFact | None = None
    in_force: DatedFact | None = None
    ended: DatedFact | None = None
    declared: DatedFact | None = None
    operative: Operative | None = None
    members: Annotated[list[Member], Field(min_length=1)]
    sources: Sources
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Record:
        if self.kind == "new":
            if self.atopid is not None:
                raise ValueError("a new alliance has no atopid (give atopid only for changes to ATOP's)")
            if self.signed is None or self.operative is None:
                raise ValueError(
                    "a new alliance needs signed (ATOP dates membership from signature) and operative"
                )
            if len(self.members) < 2:
                raise ValueError("an alliance needs at least two members")
        elif self.atopid is None:
            raise ValueError(f"a record of kind {self.kind} needs the atopid of the alliance it changes")
        if self.kind == "accession" and self.signed is None:
            raise ValueError("an accession needs signed (the accession protocol's signature)")
        if (self.kind == "suspension") != (self.declared is not None):
            raise ValueError("give declared for a suspension (a declaration), and only for one")
        if self.kind in ENDINGS and self.ended is None:
            raise ValueError(f"a {self.kind} needs ended (the day the obligation ceased)")
        joining = self.kind in ("new", "accession")
        for i, member in enumerate(self.members):
            if joining and member.obligations is None:
                raise ValueError(f"members[{i}] ({member.name}) joins: give its obligations")
            if not joining and member.obligations is not None:
                raise ValueError(f"members[{i}] ({member.name}): obligations belong to joining members only")
        codes = [m.state for m in self.members]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"states listed twice: {', '.join(map(str, twice))}")
        if self.signed and self.ended and self.ended.date.first < self.signed.date.first:
            raise ValueError("ended is before signed")
        return self

    # -- what the record does to the data -------------------------------------------------------
    @property
    def entry(self) -> dt.date | None:
        """The day members enter (ATOP: signature), or None; a partial date counts from its last day."""
        if self.kind in ("new", "accession") and self.signed is not None:
            return self.signed.date.last
        return None

    @property
    def exit(self) -> dt.date | None:
        """The day members leave, or None; a partial date counts from its first day."""
        return self.ended.date.first if self.ended is not None else None

    @property
    def effective(self) -> dt.date | None:
        """The day the record changes the data (None for a declaration without legal effect)."""
        if self.kind in ("new", "accession"):
            return self.entry
        return self.exit if self.kind in ENDINGS else None

    @property
    def key(self) -> str:
        """The alliance the record is about: ``atop:<atopid>`` or ``allies:<id>``."""
        return f"atop:{self.atopid}" if self.atopid is not None else f"allies:{self.id}"
