"""The research data sets ``allies`` can import: what each one is and how to recognise it.

Each :class:`SourceSpec` pins one release of a third-party data set: its producer,
version, official download address, the files the importer needs with their
required columns, the sha256 of the files of the known release, its coverage and
its citations. The files themselves are never shipped with ``allies``: users
import their own copy (``allies data import``) or let ``allies data fetch``
download it from the producer.

This module holds data only (no polars), so the command line can list the
sources without importing the heavy libraries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileSpec:
    """One file of a release: the names it goes by and the columns it must have."""

    key: str
    names: tuple[str, ...]
    columns: tuple[str, ...]
    description: str
    tab_separated_names: tuple[str, ...] = ()
    #: Read when the release holds it; its absence is not an error.
    optional: bool = False

    def matches(self, filename: str) -> bool:
        lowered = filename.lower()
        return lowered in self.names or lowered in self.tab_separated_names


@dataclass(frozen=True)
class Citation:
    """A citation a panel relies on, as a BibTeX entry."""

    key: str
    text: str
    bibtex: str


@dataclass(frozen=True)
class SourceSpec:
    """One pinned release of a research data set."""

    name: str
    title: str
    producer: str
    version: str
    url: str
    homepage: str
    files: tuple[FileSpec, ...]
    coverage: tuple[dt.date, dt.date]
    citations: tuple[Citation, ...]
    licence: str
    #: sha256 of the producer's own published files (a fetched file must match).
    known_sha256: dict[str, str] = field(default_factory=dict)
    #: sha256 of known copies that are not the producer's files (e.g. a slimmed CSV), with what they are.
    copies_sha256: dict[str, tuple[str, str]] = field(default_factory=dict)
    known_rows: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def file(self, key: str) -> FileSpec:
        return next(f for f in self.files if f.key == key)


ATOP_CITATION = Citation(
    key="leeds2002atop",
    text=(
        "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long. 2002. "
        '"Alliance Treaty Obligations and Provisions, 1815-1944." International Interactions 28: 237-260.'
    ),
    bibtex="""@article{leeds2002atop,
  author  = {Leeds, Brett Ashley and Ritter, Jeffrey M. and Mitchell, Sara McLaughlin and Long, Andrew G.},
  title   = {Alliance Treaty Obligations and Provisions, 1815--1944},
  journal = {International Interactions},
  volume  = {28},
  number  = {3},
  pages   = {237--260},
  year    = {2002},
  doi     = {10.1080/03050620213653}
}""",
)

ATOP_CODEBOOK = Citation(
    key="atop2022codebook",
    text="Leeds, Brett Ashley. 2022. Alliance Treaty Obligations and Provisions (ATOP) Codebook, "
    "version 5.1.",
    bibtex="""@manual{atop2022codebook,
  author = {Leeds, Brett Ashley},
  title  = {Alliance Treaty Obligations and Provisions ({ATOP}) Codebook, Version 5.1},
  year   = {2022},
  url    = {http://www.atopdata.org/}
}""",
)

COW_STATES_CITATION = Citation(
    key="cow2017states",
    text="Correlates of War Project. 2017. State System Membership List, v2016. correlatesofwar.org.",
    bibtex="""@misc{cow2017states,
  author       = {{Correlates of War Project}},
  title        = {State System Membership List, v2016},
  year         = {2017},
  howpublished = {\\url{https://correlatesofwar.org/data-sets/state-system-membership/}}
}""",
)

GW_CITATION = Citation(
    key="gleditsch1999list",
    text=(
        'Gleditsch, Kristian S. and Michael D. Ward. 1999. "A Revised List of Independent States since '
        'the Congress of Vienna." International Interactions 25: 393-413.'
    ),
    bibtex="""@article{gleditsch1999list,
  author  = {Gleditsch, Kristian S. and Ward, Michael D.},
  title   = {A Revised List of Independent States since the {Congress of Vienna}},
  journal = {International Interactions},
  volume  = {25},
  number  = {4},
  pages   = {393--413},
  year    = {1999},
  doi     = {10.1080/03050629908434958}
}""",
)

NMC_CITATION = Citation(
    key="singer1972capability",
    text=(
        'Singer, J. David, Stuart Bremer and John Stuckey. 1972. "Capability Distribution, Uncertainty, '
        'and Major Power War, 1820-1965." In Bruce Russett (ed.), Peace, War, and Numbers, 19-48. Sage.'
    ),
    bibtex="""@incollection{singer1972capability,
  author    = {Singer, J. David and Bremer, Stuart and Stuckey, John},
  title     = {Capability Distribution, Uncertainty, and Major Power War, 1820--1965},
  booktitle = {Peace, War, and Numbers},
  editor    = {Russett, Bruce},
  publisher = {Sage},
  address   = {Beverly Hills},
  pages     = {19--48},
  year      = {1972}
}""",
)

NMC_DATA_CITATION = Citation(
    key="cow2024nmc",
    text="Correlates of War Project. 2024. National Material Capabilities Data, v7.0. correlatesofwar.org.",
    bibtex="""@misc{cow2024nmc,
  author       = {{Correlates of War Project}},
  title        = {National Material Capabilities Data, v7.0},
  year         = {2024},
  howpublished = {\\url{https://correlatesofwar.org/data-sets/national-material-capabilities/}}
}""",
)

ALLIES_CITATION = Citation(
    key="allies",
    text="allies: a sourced, time-aware registry of United States alliances and partnerships, "
    "with research panels.",
    bibtex="""@software{allies,
  title   = {allies: a sourced, time-aware registry of {United States} alliances and partnerships},
  note    = {Research panels; version and registry data version in the provenance file}
}""",
)

ATOP = SourceSpec(
    name="atop",
    title="Alliance Treaty Obligations and Provisions (ATOP)",
    producer="ATOP project (Brett Ashley Leeds, Rice University)",
    version="5.1",
    url="https://www.atopdata.org/uploads/6/9/1/3/69134503/atop_5.1__.csv_.zip",
    homepage="https://www.atopdata.org/data.html",
    files=(
        FileSpec(
            "alliances",
            ("atop5_1a.csv",),
            (
                "atopid",
                "begyr",
                "begmo",
                "begday",
                "endyr",
                "endmo",
                "endday",
                "ineffect",
                "bilat",
                "maxphase",
                "defense",
                "offense",
                "neutral",
                "nonagg",
                "consul",
                "asymm",
                "version",
            ),
            "one row per alliance",
        ),
        FileSpec(
            "phases",
            ("atop5_1aph.csv",),
            (
                "atopid",
                "atopidphase",
                "phase",
                "begyr",
                "begmo",
                "begday",
                "endyr",
                "endmo",
                "endday",
                "defense",
                "offense",
                "neutral",
                "nonagg",
                "consul",
                "asymm",
                "version",
            ),
            "one row per alliance phase",
        ),
        FileSpec(
            "members",
            ("atop5_1m.csv",),
            (
                "atopid",
                "member",
                "cowsys",
                "yrent",
                "moent",
                "dayent",
                "yrexit",
                "moexit",
                "dayexit",
                "ineffect",
                "phase",
                "defense",
                "offense",
                "neutral",
                "nonagg",
                "consul",
                "asymm",
                "obvary",
                "version",
            ),
            "one row per member and phase, with the member's own obligations",
        ),
        FileSpec(
            "state_years",
            ("atop5_1sy.csv",),
            (
                "state",
                "year",
                "atopally",
                "defense",
                "offense",
                "neutral",
                "nonagg",
                "consul",
                "number",
                "version",
            ),
            "one row per state-year with an alliance",
        ),
        FileSpec(
            "published_ddyr",
            ("atop5_1ddyr.csv",),
            ("statea", "stateb", "year", "atopally", "defense", "offense", "neutral", "nonagg", "consul"),
            "ATOP's directed dyad-years (optional: used as is when present, else derived)",
            optional=True,
        ),
    ),
    coverage=(dt.date(1815, 1, 1), dt.date(2018, 12, 31)),
    citations=(ATOP_CITATION, ATOP_CODEBOOK),
    licence="Free for research with citation; no redistribution licence. Import your own copy.",
    known_sha256={
        "atop5_1a.csv": "cc6026b7ea8094d4c172c46ddc555fb7809eb675450ac83738ea801a0407e59a",
        "atop5_1aph.csv": "7995e4cf460fd841fe92c84dd497e8bc41169c94e764eae15d88394962722836",
        "atop5_1m.csv": "b13b70c7b07e8316b70a7d64b084780510d934edc9785f46496dfabfdc8a440b",
        "atop5_1sy.csv": "bb81f3bfc166932f3fb6ca7134891b84d2ef34bc87a9c5975c4ef6b704632108",
    },
    known_rows={"alliances": 789, "phases": 849, "members": 2510, "state_years": 11923},
    notes=(
        "Dates are signature dates (codebook §2.32), not entry into force or accession.",
        "yrexit = 0 means in force on 31 December 2018, the end of coverage.",
    ),
)

COW_STATES = SourceSpec(
    name="cow-states",
    title="Correlates of War State System Membership",
    producer="Correlates of War Project",
    version="2016",
    url="https://correlatesofwar.org/wp-content/uploads/states2016.csv",
    homepage="https://correlatesofwar.org/data-sets/state-system-membership/",
    files=(
        FileSpec(
            "states",
            ("states2016.csv",),
            (
                "stateabb",
                "ccode",
                "statenme",
                "styear",
                "stmonth",
                "stday",
                "endyear",
                "endmonth",
                "endday",
                "version",
            ),
            "one row per membership spell",
        ),
    ),
    coverage=(dt.date(1816, 1, 1), dt.date(2016, 12, 31)),
    citations=(COW_STATES_CITATION,),
    licence="Free for research with citation.",
    known_sha256={"states2016.csv": "76733bacf602007038b72e2ebec24d37a34ba6dc36793eb7c894af82e952f735"},
    known_rows={"states": 243},
)

GW_STATES = SourceSpec(
    name="gw-states",
    title="Gleditsch–Ward list of independent states",
    producer="Kristian Skrede Gleditsch and Michael D. Ward",
    version="2017-12-31",
    url="https://ksgleditsch.com/data/iisystem.dat",
    homepage="https://ksgleditsch.com/statelist.html",
    files=(
        FileSpec(
            "states",
            (
                "gw_states.csv",
                "gwstates.csv",
                "gw-states.csv",
                "gwstates_states_r_0.3.3.csv",
                "gwstates_r.csv",
            ),
            ("gwcode",),
            "one row per membership spell: the official tab-separated iisystem.dat (dd:mm:yyyy), a CSV "
            "with ISO dates, or the R package states' CSV with its microstates",
            tab_separated_names=("iisystem.dat",),
        ),
        FileSpec(
            "microstates",
            (),
            ("gwcode",),
            "the microstates: the official tab-separated microstatessystem.dat (optional)",
            tab_separated_names=("microstatessystem.dat",),
            optional=True,
        ),
    ),
    coverage=(dt.date(1816, 1, 1), dt.date(2017, 12, 31)),
    citations=(GW_CITATION,),
    licence="Free for research with citation.",
    copies_sha256={
        "gw_states.csv": (
            "80e062971052837012f0a76849e4c6642d4680ce60cfc910125d7fb1534f028d",
            "a CSV with ISO dates made from iisystem.dat (allies' reference copy), not the producer's file",
        ),
        "gwstates_states_r_0.3.3.csv": (
            "bf9732c55336f455727b696c6c84cacd98bffeef356e4bb5438191213ab77950",
            "the list with its microstates as the R package states 0.3.3 (Beger) distributes it",
        ),
    },
    known_rows={"states": 216},
    notes=(
        "The microstates are imported with the main list when given (microstatessystem.dat, or the R "
        "package states' CSV); panels carry a microstate column.",
    ),
)

NMC = SourceSpec(
    name="nmc",
    title="Correlates of War National Material Capabilities",
    producer="Correlates of War Project",
    version="7.0",
    url="https://correlatesofwar.org/wp-content/uploads/NMCv7.zip",
    homepage="https://correlatesofwar.org/data-sets/national-material-capabilities/",
    files=(
        FileSpec(
            "nmc",
            ("nmc-70-abridged.csv", "nmc-70-wsupplementary.csv", "nmc_v7_slim.csv", "nmc-v7.csv"),
            ("ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"),
            "one row per state-year (v7 layout; -9 codes a missing value)",
        ),
    ),
    coverage=(dt.date(1816, 1, 1), dt.date(2022, 12, 31)),
    citations=(NMC_CITATION, NMC_DATA_CITATION),
    licence="Free for research with citation.",
    copies_sha256={
        "nmc_v7_slim.csv": (
            "81f5863d4d50bc3eea30a7ed0c69c6ad5deab0aef3caaf58b5e6f164edbccda8",
            "a slimmed copy of NMC v7 (without stateabb and version), not the producer's file",
        ),
    },
    known_rows={"nmc": 17121},
)

COW_MAJORS = SourceSpec(
    name="cow-majors",
    title="Correlates of War Major Powers",
    producer="Correlates of War Project",
    version="2016",
    url="https://correlatesofwar.org/wp-content/uploads/majors2016.csv",
    homepage="https://correlatesofwar.org/data-sets/state-system-membership/",
    files=(
        FileSpec(
            "majors",
            ("majors2016.csv",),
            ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday"),
            "one row per major-power spell",
        ),
    ),
    coverage=(dt.date(1816, 1, 1), dt.date(2016, 12, 31)),
    citations=(COW_STATES_CITATION,),
    licence="Free for research with citation.",
    known_sha256={"majors2016.csv": "9e8b72eec51bec8bc175c2d1a1c968828c4571558e281c0b3bd554dca135100e"},
    known_rows={"majors": 14},
)

SOURCES: dict[str, SourceSpec] = {s.name: s for s in (ATOP, COW_STATES, GW_STATES, NMC, COW_MAJORS)}

#: The Correlates of War Formal Alliances data set is deliberately absent: its maintainer
#: asked that software not process it.
REFUSED = {
    "cow-alliances": "The COW Formal Alliances maintainer asked that software not process that data set; "
    "use ATOP (allies data import atop PATH).",
}


class UnknownSource(KeyError):
    """A data-set name ``allies`` does not import."""

    def __str__(self) -> str:
        return str(self.args[0])


def source(name: str) -> SourceSpec:
    """The spec called ``name``; raises :class:`UnknownSource` naming the choices."""
    key = name.strip().lower()
    if key in SOURCES:
        return SOURCES[key]
    if key in REFUSED:
        raise UnknownSource(REFUSED[key])
    raise UnknownSource(f"unknown data set {name!r}; choose one of {', '.join(SOURCES)}")
