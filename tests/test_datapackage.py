"""The registry as a Frictionless data package: every table checked against its own Table Schema,
and the counts round-tripped against the registry."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allies.cli.app import app
from allies.exports import PACKAGE_NAME, data_package, data_package_zip
from allies.kb import KnowledgeBase
from allies.model import State
from allies.version import __version__


@pytest.fixture(scope="module")
def files(kb: KnowledgeBase) -> dict[str, str]:
    return data_package(kb)


@pytest.fixture(scope="module")
def descriptor(files: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(files["datapackage.json"])
    return found


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"{name}.csv"])))


def _valid(value: str, field: dict[str, Any]) -> bool:
    """``value`` is of the field's Table Schema type (an empty cell is missing, checked apart)."""
    kind: str = field["type"]
    if kind == "integer":
        return re.fullmatch(r"-?[0-9]+", value) is not None
    if kind == "boolean":
        allowed: list[str] = [*field["trueValues"], *field["falseValues"]]
        return value in allowed
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    return kind == "string"


def test_the_descriptor_has_licence_version_release_date_and_a_schema_per_table(
    descriptor: dict[str, Any], files: dict[str, str], kb: KnowledgeBase
) -> None:
    assert descriptor["profile"] == "data-package" and descriptor["name"] == PACKAGE_NAME
    assert descriptor["licenses"][0]["name"] == "MIT" and descriptor["licenses"][0]["path"].startswith(
        "https://"
    )
    assert (
        descriptor["version"] == f"{__version__}+data.{kb.version}"
        and descriptor["data_version"] == kb.version
    )
    dt.date.fromisoformat(descriptor["released"])
    assert descriptor["contributors"] == [{"title": "The allies developers", "role": "author"}]
    names = [r["name"] for r in descriptor["resources"]]
    assert set(names) >= {"states", "arrangements", "spells", "claims", "events", "sources", "benefits"}
    assert {r["path"] for r in descriptor["resources"]} == set(files) - {"datapackage.json"}
    for resource in descriptor["resources"]:
        if resource["format"] == "csv":
            assert resource["schema"]["primaryKey"] and resource["schema"]["missingValues"] == [""]
            header = next(csv.reader(io.StringIO(files[resource["path"]])))
            assert header == [f["name"] for f in resource["schema"]["fields"]], resource["name"]


def problems(descriptor: dict[str, Any], files: dict[str, str]) -> list[str]:
    """Our own validator of Table Schema: types, required, enum, pattern, primary and foreign keys."""
    tables = {r["name"]: r for r in descriptor["resources"] if r["format"] == "csv"}
    data = {name: rows(files, name) for name in tables}
    found: list[str] = []
    for name, resource in tables.items():
        schema = resource["schema"]
        for number, row in enumerate(data[name], start=2):
            for field in schema["fields"]:
                value, constraints = row[field["name"]], field.get("constraints", {})
                where = f"{resource['path']}:{number}: {field['name']}"
                if value == "":
                    if constraints.get("required"):
                        found.append(f"{where}: required")
                    continue
                if not _valid(value, field):
                    found.append(f"{where}: {value!r} is not a {field['type']}")
                if "enum" in constraints and value not in constraints["enum"]:
                    found.append(f"{where}: {value!r} not in {constraints['enum']}")
                if "pattern" in constraints and not re.fullmatch(constraints["pattern"], value):
                    found.append(f"{where}: {value!r} does not match {constraints['pattern']}")
        keys = [tuple(row[k] for k in schema["primaryKey"]) for row in data[name]]
        if len(keys) != len(set(keys)):
            found.append(f"{name}: duplicate primary keys")
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]
            allowed = {row[target["fields"]] for row in data[target["resource"]]}
            missing = {row[fk["fields"]] for row in data[name]} - allowed - {""}
            if missing:
                found.append(f"{name}.{fk['fields']} → {target['resource']}: {sorted(missing)[:5]}")
    return found


def test_every_cell_has_its_type_constraints_and_keys(
    descriptor: dict[str, Any], files: dict[str, str]
) -> None:
    assert problems(descriptor, files) == []


def test_the_validator_finds_broken_cells_and_keys(descriptor: dict[str, Any], files: dict[str, str]) -> None:
    broken = dict(files)
    lines = files["states.csv"].splitlines(keepends=True)
    broken["states.csv"] = "".join([*lines, lines[1]]).replace(",Asia,true,", ",Asia,yes,", 1)
    broken["spells.csv"] = files["spells.csv"].replace("anzus,AUS,", "anzus,XXX,", 1)
    found = problems(descriptor, broken)
    assert "states: duplicate primary keys" in found
    assert any("un_member: 'yes' is not a boolean" in p for p in found)
    assert any(p.startswith("spells.state → states: ['XXX']") for p in found)


def test_the_tables_round_trip_the_registry(files: dict[str, str], kb: KnowledgeBase) -> None:
    assert len(rows(files, "states")) == len(kb.states)
    assert len(rows(files, "arrangements")) == len(kb.arrangements)
    assert len(rows(files, "sources")) == len(kb.sources)
    assert len(rows(files, "events")) == len(kb.events)
    assert len(rows(files, "benefits")) == len(kb.benefit_list)
    assert len(rows(files, "claims")) == len(kb.claims())
    spells = sum(len(p.spells) for a in kb.arrangements.values() for p in a.participants)
    assert len(rows(files, "spells")) == spells
    nato = [r for r in rows(files, "spells") if r["arrangement"] == "nato" and r["end"] == ""]
    assert len({r["state"] for r in nato}) == len(kb.members("nato", dt.date.today()))
    document = json.loads(files["allies.json"])
    assert document["data_version"] == kb.version
    assert {a["id"] for a in document["arrangements"]} == set(kb.arrangements)
    assert sum(len(a["participants"]) for a in document["arrangements"]) == sum(
        len(a.participants) for a in kb.arrangements.values()
    )


def test_unknown_is_an_empty_cell_never_zero(files: dict[str, str], kb: KnowledgeBase) -> None:
    states = {r["id"]: r for r in rows(files, "states")}
    without_cow = [s.id for s in kb.states.values() if s.cow is None]
    assert without_cow and all(states[i]["cow"] == "" for i in without_cow)
    assert all(r["cow"] != "0" and r["gw"] != "0" for r in states.values())
    # A party known only "by" a day: the bound is kept, not turned into the day it joined.
    bounded = [r for r in rows(files, "spells") if r["start_no_later_than"] == "true"]
    assert bounded, "the Rio parties known only by 1982-04-30 keep their bound"
    assert all(r["start_no_later_than"] in ("true", "false") for r in rows(files, "spells"))
    open_ended = [r for r in rows(files, "spells") if r["end"] == ""]
    assert open_ended and all(r["end_kind"] == "" and r["end_no_later_than"] == "" for r in open_ended)


def test_allies_json_keeps_every_key_with_null_for_unknown(files: dict[str, str], kb: KnowledgeBase) -> None:
    """allies.json has the same keys in every record (null where not recorded), unlike the API's
    records, which leave None fields out; nested records and partial dates are kept whole."""
    document = json.loads(files["allies.json"])
    state_keys = [f.name for f in fields(State)]
    assert all(list(s) == state_keys for s in document["states"])
    by_id = {s["id"]: s for s in document["states"]}
    without_cow = next(s for s in kb.states.values() if s.cow is None)
    assert by_id[without_cow.id]["cow"] is None and "cow" not in without_cow.as_json()
    citations = [c for s in document["states"] for c in s["sources"]]
    assert all(list(c) == ["source", "locator", "quote"] for c in citations)
    assert any(c["quote"] is None for c in citations)
    ddr = by_id["DDR"]
    assert (ddr["start"], ddr["end"]["date"]) == ({"date": "1949-10-05", "precision": "day"}, "1990-10-02")
    assert by_id["JPN"]["start"] is None and by_id["JPN"]["end"] is None


def test_the_zip_holds_the_same_files_and_is_reproducible(files: dict[str, str], kb: KnowledgeBase) -> None:
    blob = data_package_zip(files)
    assert blob == data_package_zip(data_package(kb)), "same registry, same bytes"
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        assert sorted(archive.namelist()) == sorted(f"{PACKAGE_NAME}/{name}" for name in files)
        assert archive.read(f"{PACKAGE_NAME}/states.csv").decode() == files["states.csv"]


def test_allies_export_package_writes_the_files(tmp_path: Path, files: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["export", "package", str(tmp_path / "pkg")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "pkg").iterdir())
    assert written == sorted(files)
    assert (tmp_path / "pkg" / "claims.csv").read_text(encoding="utf-8") == files["claims.csv"]
    again = CliRunner().invoke(app, ["export", "package", str(tmp_path / "pkg")])
    assert again.exit_code == 0, "writing over its own package is fine"
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "mine.txt").write_text("keep me")
    refused = CliRunner().invoke(app, ["export", "package", str(tmp_path / "other")])
    assert refused.exit_code != 0 and "not empty" in str(refused.exception)
    assert (tmp_path / "other" / "mine.txt").read_text() == "keep me"
