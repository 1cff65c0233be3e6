"""The native Stata 118 writer, read back by pandas' independent reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from allies.research.stata import StataError, write_dta

pd = pytest.importorskip("pandas")


def test_types_missing_values_text_dates_and_labels(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "small": pl.Series([1, None, 100], dtype=pl.Int8),
            "code": pl.Series([2, 990, None], dtype=pl.Int16),
            "wide": pl.Series([1, 2**40, None], dtype=pl.Int64),
            "share": [0.25, None, float("nan")],
            "name": ["Palau", None, "Côte d'Ivoire"],
            "flag": [True, False, None],
            "day": [dt.date(1960, 1, 2), None, dt.date(2024, 12, 31)],
        }
    )
    path = write_dta(frame, tmp_path / "t.dta", {"code": "G&W code é", "name": "x" * 100}, "a title")
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        title = reader.data_label
        back = reader.read(convert_missing=False)
    assert title == "a title"
    assert labels["code"] == "G&W code é" and labels["name"] == "x" * 80
    assert back["small"].tolist()[0] == 1 and pd.isna(back["small"].tolist()[1])
    assert back["code"].tolist()[:2] == [2, 990] and pd.isna(back["code"].tolist()[2])
    assert back["wide"].tolist()[1] == 2**40
    assert pd.isna(back["share"].tolist()[1]) and pd.isna(back["share"].tolist()[2])  # NaN is missing too
    assert back["name"].tolist() == ["Palau", "", "Côte d'Ivoire"]
    assert back["flag"].tolist()[:2] == [1, 0]
    assert back["day"].tolist()[0] == pd.Timestamp("1960-01-02") and pd.isna(back["day"].tolist()[1])
    assert b"<release>118</release>" in path.read_bytes()[:100]


def test_names_stata_cannot_hold_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StataError, match="at most 32 characters"):
        write_dta(pl.DataFrame({"x" * 33: [1]}), tmp_path / "t.dta")
