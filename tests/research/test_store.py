"""Imports: the producer's formats, validation, and the previous version kept on failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from allies.research import csvfiles
from allies.research.importer import import_path
from allies.research.sources import UnknownSource, source
from allies.research.store import ImportFailed, NotImported, current, imports_dir, require
from tests.research.conftest import FIXTURES


def atop_zip(shared: Path, target: Path, *, member: bytes | None = None) -> Path:
    """The four ATOP files in a zip laid out as the producer's (``ATOP 5.1 (.csv)/``)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("atop5_1a.csv", "atop5_1aph.csv", "atop5_1m.csv", "atop5_1sy.csv"):
            data = (shared / "atop5_1" / name).read_bytes()
            if name == "atop5_1m.csv" and member is not None:
                data = member
            archive.writestr(f"ATOP 5.1 (.csv)/{name}", data)
        archive.writestr("ATOP 5.1 (.csv)/README.txt", "codebook elsewhere")
    return target


def snapshot(name: str) -> tuple[str, str]:
    found = current(name)
    assert found is not None
    return (found.root.name, json.dumps(found.manifest.as_json(), sort_keys=True))


# -- what can be imported ---------------------------------------------------------------------------


def test_cow_formal_alliances_is_refused() -> None:
    with pytest.raises(UnknownSource, match="asked that software not process"):
        source("cow-alliances")
    with pytest.raises(UnknownSource, match="atop, cow-states, gw-states, nmc, cow-majors"):
        source("polity")


def test_panel_without_import_says_how_to_import(empty_store: Path) -> None:
    with pytest.raises(NotImported, match="allies data fetch atop"):
        require("atop", "add_atop()")


@pytest.mark.shared
def test_atop_from_the_producers_zip(empty_store: Path, shared_root: Path, tmp_path: Path) -> None:
    manifest = import_path("atop", atop_zip(shared_root, tmp_path / "atop_5.1__.csv_.zip"))
    assert manifest.verified and manifest.version == "5.1"
    assert manifest.archive_sha256 is not None
    assert manifest.tables["ddyr"] == 273_296
    assert {f.name for f in manifest.files} == {
        "atop5_1a.csv",
        "atop5_1aph.csv",
        "atop5_1m.csv",
        "atop5_1sy.csv",
    }
    stored = current("atop")
    assert stored is not None and stored.root.parent == imports_dir() / "atop"
    assert (stored.root / "files" / "atop5_1m.csv").read_bytes() == (
        shared_root / "atop5_1" / "atop5_1m.csv"
    ).read_bytes()


@pytest.mark.shared
def test_gw_official_tab_separated_file_and_csv_agree(
    empty_store: Path, shared_root: Path, tmp_path: Path
) -> None:
    import polars as pl

    import_path("gw-states", shared_root / "gw" / "gw_states.csv")
    from_csv = current("gw-states")
    assert from_csv is not None
    spells = from_csv.table("spells")
    lines = [
        f"{r['code']}\t{r['abb']}\t{r['name']}\t{r['start']:%d:%m:%Y}\t{r['end']:%d:%m:%Y}"
        for r in spells.iter_rows(named=True)
    ]
    dat = tmp_path / "iisystem.dat"
    dat.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    manifest = import_path("gw-states", dat)
    assert not manifest.verified  # no checksum is pinned for the .dat file; rows are checked instead
    from_dat = current("gw-states")
    assert from_dat is not None
    assert from_dat.table("spells").equals(spells)
    assert spells.filter(pl.col("code") == 340).height == 2  # Serbia: two spells


def test_latin1_tab_separated_text_is_read() -> None:
    frame = csvfiles.read_rows(
        FIXTURES / "gw_latin1.dat", ["a"], delimiter="\t", names=["a", "b", "c", "d", "e"]
    )
    assert frame["c"][0] == "Côte D'Ivoire"


@pytest.mark.shared
def test_single_files_import(empty_store: Path, shared_root: Path) -> None:
    for name, path, rows in (
        ("cow-states", "cow/states2016.csv", 243),
        ("nmc", "cow/nmc_v7_slim.csv", 17121),
        ("cow-majors", "cow/majors2016.csv", 14),
    ):
        manifest = import_path(name, shared_root / path)
        # The slim NMC file is a copy, not the producer's file, and says so.
        assert manifest.verified == (name != "nmc")
        assert manifest.files[0].status.startswith("copy: " if name == "nmc" else "producer")
        assert next(iter(manifest.tables.values())) == rows


# -- broken files leave the previous version intact ------------------------------------------------


@pytest.mark.shared
def test_truncated_member_file_is_refused(empty_store: Path, shared_root: Path, tmp_path: Path) -> None:
    import_path("atop", shared_root / "atop5_1")
    before = snapshot("atop")
    data = (shared_root / "atop5_1" / "atop5_1m.csv").read_bytes()
    cut_mid_line = atop_zip(shared_root, tmp_path / "mid.zip", member=data[: len(data) // 2])
    with pytest.raises(ImportFailed, match="truncated"):
        import_path("atop", cut_mid_line)
    lines = data.splitlines(keepends=True)
    cut_at_line = atop_zip(shared_root, tmp_path / "line.zip", member=b"".join(lines[:-40]))
    with pytest.raises(ImportFailed, match="2470 rows where the pinned release has 2510"):
        import_path("atop", cut_at_line)
    assert snapshot("atop") == before
    found = current("atop")
    assert found is not None and found.table("ddyr").height == 273_296
    assert not [p for p in (imports_dir() / "atop").iterdir() if p.name.startswith(".incoming")]


@pytest.mark.shared
def test_corrupt_zip_is_refused(empty_store: Path, shared_root: Path, tmp_path: Path) -> None:
    import_path("atop", shared_root / "atop5_1")
    before = snapshot("atop")
    good = atop_zip(shared_root, tmp_path / "good.zip").read_bytes()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(good[: len(good) // 2])
    with pytest.raises(ImportFailed, match="not a readable zip"):
        import_path("atop", broken)
    assert snapshot("atop") == before


@pytest.mark.shared
def test_wrong_format_is_refused(empty_store: Path, shared_root: Path, tmp_path: Path) -> None:
    import_path("cow-states", shared_root / "cow" / "states2016.csv")
    before = snapshot("cow-states")
    with pytest.raises(ImportFailed, match="missing column"):
        import_path("cow-states", shared_root / "gw" / "gw_states.csv")
    garbage = tmp_path / "states2016.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ImportFailed, match="binary file"):
        import_path("cow-states", garbage)
    wrong = tmp_path / "folder"
    wrong.mkdir()
    shutil.copy(FIXTURES / "not_atop.csv", wrong / "atop5_1m.csv")
    with pytest.raises(ImportFailed, match="missing"):
        import_path("atop", wrong)
    assert snapshot("cow-states") == before


def test_bad_value_is_reported_with_line_and_column(empty_store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "states2016.csv"
    text = (FIXTURES / "not_atop.csv").read_text().replace("1816,1,1", "1816,13,1")
    bad.write_text(text)
    with pytest.raises(ImportFailed, match=r"states2016.csv: line 2: column stmonth: 13 is outside 1–12"):
        import_path("cow-states", bad)
    bad.write_text(text.replace("13", "x"))
    with pytest.raises(ImportFailed, match=r"line 2: column stmonth: 'x' is not a number"):
        import_path("cow-states", bad)
    assert current("cow-states") is None


# -- hostile archives and killed imports -------------------------------------------------------------


@pytest.mark.shared
def test_zip_bomb_member_is_refused_within_the_limit(
    empty_store: Path, shared_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allies.research import importer

    monkeypatch.setattr(importer, "MAX_MEMBER_BYTES", 8 * 1024 * 1024)
    bomb = atop_zip(shared_root, tmp_path / "bomb.zip", member=b"\0" * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024  # 64 MiB of zeros in well under 2 MB
    with pytest.raises(ImportFailed, match=r"atop5_1m.csv: more than 8 MiB once decompressed"):
        import_path("atop", bomb)
    assert current("atop") is None


@pytest.mark.shared
def test_unused_members_are_never_decompressed(
    empty_store: Path, shared_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allies.research import importer

    monkeypatch.setattr(importer, "MAX_MEMBER_BYTES", 8 * 1024 * 1024)
    monkeypatch.setattr(importer, "MAX_ARCHIVE_BYTES", 40 * 1024 * 1024)
    archive = atop_zip(shared_root, tmp_path / "atop.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as extra:
        extra.writestr("ATOP 5.1 (.csv)/unused.bin", b"\0" * (64 * 1024 * 1024))
    read: list[str] = []
    original = zipfile.ZipFile.open

    def spy(self: zipfile.ZipFile, name: Any, *args: Any, **kwargs: Any) -> Any:
        read.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return original(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    manifest = import_path("atop", archive)
    assert manifest.tables["ddyr"] == 273_296
    assert not any(name.endswith("unused.bin") for name in read)
    assert not any(name.endswith("README.txt") for name in read)


@pytest.mark.shared
def test_folders_of_killed_imports_are_removed(empty_store: Path, shared_root: Path) -> None:
    home = imports_dir() / "cow-majors"
    home.mkdir(parents=True)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    dead = home / f".incoming-{int(finished.stdout)}-0123abcd"  # its process has ended
    (dead / "files").mkdir(parents=True)
    (dead / "files" / "majors2016.csv").write_text("half written")
    running = home / f".incoming-{os.getppid()}-4567ef01"  # a live process: another import at work
    running.mkdir()
    import_path("cow-majors", shared_root / "cow" / "majors2016.csv")
    assert not dead.exists()
    assert running.exists()
    assert sorted(p.name for p in home.iterdir() if p.name.startswith(".incoming-")) == [running.name]
