"""The continuation's schema and loader: the packaged records, and file/line/field errors for broken ones."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from allies.continuation import CONTINUATION_DIR, read
from allies.problems import DataError


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged continuation."""
    target = tmp_path / "continuation"
    shutil.copytree(CONTINUATION_DIR, target)
    return target


def test_the_packaged_records_load_and_cover_the_must_haves() -> None:
    found = read()
    ids = {r.id for r in found.records}
    for must in (
        "nato-north-macedonia",
        "nato-finland",
        "nato-sweden",
        "russia-dprk-2024",
        "saudi-pakistan-2025",
        "france-poland-nancy-2025",
        "uk-germany-kensington-2025",
        "australia-png-pukpuk-2025",
        "aes-liptako-gourma-2023",
        "russia-belarus-2024",
        "russia-ukraine-1997-terminated",
    ):
        assert must in ids
    # Records are in date order, every new alliance quotes its operative article with a source.
    days = [r.signed or r.ended or r.declared for r in found.records]
    assert all(d is not None for d in days)
    for record in found.records:
        if record.kind == "new":
            assert record.operative is not None and record.operative.sources
        assert found.cited(record), record.id


def test_atop_dating_membership_from_signature_with_entry_into_force_kept_apart() -> None:
    records = {r.id: r for r in read().records}
    finland = records["nato-finland"]
    assert finland.entry == dt.date(2022, 7, 5)
    assert finland.in_force is not None and finland.in_force.date.first == dt.date(2023, 4, 4)
    sweden = records["nato-sweden"]
    assert sweden.entry == dt.date(2022, 7, 5)
    assert sweden.in_force is not None and sweden.in_force.date.first == dt.date(2024, 3, 7)
    assert records["nato-north-macedonia"].entry == dt.date(2019, 2, 6)
    assert records["russia-dprk-2024"].entry == dt.date(2024, 6, 19)
    assert records["russia-ukraine-1997-terminated"].exit == dt.date(2019, 4, 1)
    # Entry into force, a separate fact that does not move membership.
    belarus, iran = records["russia-belarus-2024"], records["russia-iran-2025"]
    assert belarus.entry == dt.date(2024, 12, 6)
    assert belarus.in_force is not None and belarus.in_force.date.first == dt.date(2025, 3, 13)
    assert iran.entry == dt.date(2025, 1, 17)
    assert iran.in_force is not None and iran.in_force.date.first == dt.date(2025, 10, 2)
    assert [str(a.date) for a in iran.in_force.alternatives] == ["2025-07"] and iran.in_force.preferred_reason
    # SCO accessions count from the memorandum of obligations; full membership is kept beside it.
    iran_sco, belarus_sco = records["sco-iran-accession"], records["sco-belarus-accession"]
    assert iran_sco.entry == dt.date(2022, 9, 15) and belarus_sco.entry == dt.date(2023, 7, 31)
    assert belarus_sco.in_force is not None and belarus_sco.in_force.date.first == dt.date(2024, 7, 4)
    # Withdrawals from the OAS Charter (ATOP 3150) count from the day the Charter ceased to bind.
    assert records["oas-1948-venezuela-withdrawal"].exit == dt.date(2019, 4, 27)
    assert records["oas-1948-nicaragua-withdrawal"].exit == dt.date(2023, 11, 19)
    # A declaration without legal effect changes nothing.
    for declared in ("armenia-csto-freeze", "armenia-csto-exit-intent"):
        assert records[declared].effective is None
        assert records[declared] not in read().changing()


def test_since_selects_by_year() -> None:
    found = read()
    assert {r.id for r in found.since(2025)} >= {"saudi-pakistan-2025", "france-poland-1991-superseded"}
    assert "aachen-2019" not in {r.id for r in found.since(2020)}


def test_an_unknown_key_is_reported_with_file_line_and_field(copy: Path) -> None:
    path = copy / "records" / "saudi-pakistan-2025.yaml"
    text = path.read_text().replace("summary: >-", "sumary: typo\nsummary: >-", 1)
    path.write_text(text)
    with pytest.raises(DataError) as caught:
        read(copy)
    [problem] = [p for p in caught.value.problems if p.field == "sumary"]
    assert problem.file == "records/saudi-pakistan-2025.yaml"
    assert problem.line == text.splitlines().index("sumary: typo") + 1
    assert "extra" in problem.message.lower() or "not permitted" in problem.message.lower()


def test_broken_records_are_all_listed(copy: Path) -> None:
    (copy / "records" / "russia-dprk-2024.yaml").write_text(
        (copy / "records" / "russia-dprk-2024.yaml").read_text().replace("state: 731", "state: 7310")
    )
    kensington = copy / "records" / "uk-germany-kensington-2025.yaml"
    kensington.write_text(
        kensington.read_text().replace("source: de-aa-kensington", "source: no-such-source", 1)
    )
    nato = copy / "records" / "nato-finland.yaml"
    nato.write_text(nato.read_text().replace("atopid: 3180\n", ""))
    with pytest.raises(DataError) as caught:
        read(copy)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "records/russia-dprk-2024.yaml:" in text and "members.[1].state" in text.replace(
        "members[1]", "members.[1]"
    )
    assert "unknown source 'no-such-source'" in text
    assert "needs the atopid" in text


def test_a_new_alliance_needs_signature_operative_article_and_obligations(copy: Path) -> None:
    path = copy / "records" / "aachen-2019.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "    obligations: {defense: 1, offense: null, neutral: null, nonagg: null, consul: null}\n", "", 1
        )
    )
    with pytest.raises(DataError) as caught:
        read(copy)
    assert any("give its obligations" in p.message for p in caught.value.problems)


def test_a_state_that_is_not_in_the_state_table_is_refused(copy: Path) -> None:
    path = copy / "records" / "saudi-pakistan-2025.yaml"
    path.write_text(path.read_text().replace("state: 770", "state: 999"))
    with pytest.raises(DataError) as caught:
        read(copy)
    [problem] = caught.value.problems
    assert problem.field == "members[1].state" and problem.line is not None


def test_allies_check_reports_the_continuation(copy: Path) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "allies", "check"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert "continuation records" in ok.stdout
    path = copy / "records" / "nato-sweden.yaml"
    path.write_text(path.read_text().replace("kind: accession", "kind: joined"))
    bad = subprocess.run(
        [sys.executable, "-m", "allies", "check", "--continuation-dir", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "continuation/records/nato-sweden.yaml:2: kind:" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert "not cited" not in bad.stderr  # no noise from the sources of the broken record
