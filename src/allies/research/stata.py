"""A native writer of Stata 118 ``.dta`` files from polars frames (numpy records, no pandas).

Stata 118 (Stata 14 and later) is a little-endian, tagged binary layout: a header, a map
of offsets, the variables' types, names, formats and labels, then the data as fixed-width
records. Integer columns keep their width (byte, int, long) when Stata's ranges hold them;
missing values are Stata's system missing (``.``); text is UTF-8 in fixed-width ``str#``;
dates are ``%td`` (days since 1960-01-01).
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import numpy as np

#: Stata's type codes and missing values (the system missing ``.``) for 118.
BYTE, INT, LONG, FLOAT, DOUBLE = 65530, 65529, 65528, 65527, 65526
MISSING = {
    BYTE: 101,
    INT: 32741,
    LONG: 2_147_483_621,
    FLOAT: struct.unpack("<f", struct.pack("<I", 0x7F000000))[0],
    DOUBLE: struct.unpack("<d", struct.pack("<Q", 0x7FE0000000000000))[0],
}
RANGES = {BYTE: (-127, 100), INT: (-32767, 32740), LONG: (-2_147_483_647, 2_147_483_620)}
NUMPY = {BYTE: "<i1", INT: "<i2", LONG: "<i4", FLOAT: "<f4", DOUBLE: "<f8"}
FORMATS = {BYTE: "%8.0g", INT: "%8.0g", LONG: "%12.0g", FLOAT: "%9.0g", DOUBLE: "%10.0g"}
STATA_EPOCH = dt.date(1960, 1, 1)
MAX_STR = 2045


class StataError(ValueError):
    """A frame that Stata 118 cannot hold as asked."""


def _integer_type(series: pl.Series) -> int:
    low, high = series.min(), series.max()
    if low is None or high is None:
        return BYTE
    assert isinstance(low, int) and isinstance(high, int)
    for code in (BYTE, INT, LONG):
        if RANGES[code][0] <= low and high <= RANGES[code][1]:
            return code
    return DOUBLE


def _column(series: pl.Series) -> tuple[int, np.ndarray, str]:
    """(Stata type, numpy values with missing filled, display format) of one column."""
    import numpy as np

    if series.dtype == pl.Boolean:
        series = series.cast(pl.Int8)
    dtype = series.dtype
    if dtype == pl.Date:
        days = series.cast(pl.Int32) - (STATA_EPOCH - dt.date(1970, 1, 1)).days
        code = LONG
        return code, days.fill_null(MISSING[code]).to_numpy().astype(NUMPY[code]), "%td"
    if dtype.is_integer():
        code = _integer_type(series)
        values = series.cast(pl.Float64) if code == DOUBLE else series
        return code, values.fill_null(MISSING[code]).to_numpy().astype(NUMPY[code]), FORMATS[code]
    if dtype.is_float():
        code = FLOAT if dtype == pl.Float32 else DOUBLE
        # NaN is not a Stata value: it is missing too.
        values = series.fill_nan(None).fill_null(MISSING[code])
        return code, values.to_numpy().astype(NUMPY[code]), FORMATS[code]
    if dtype == pl.String:
        encoded = series.fill_null("").str.encode("hex")  # bytes via hex keeps it vectorised
        raw = [bytes.fromhex(v) for v in encoded.to_list()]
        width = max(1, max((len(b) for b in raw), default=1))
        if width > MAX_STR:
            raise StataError(f"{series.name}: text longer than {MAX_STR} bytes does not fit a Stata str#")
        return width, np.array(raw, dtype=f"S{width}"), f"%-{min(width, 244)}s"
    raise StataError(f"{series.name}: a {dtype} column cannot be written to Stata")


def _fixed(text: str, size: int) -> bytes:
    """UTF-8 ``text`` cut to ``size - 1`` bytes on a character boundary, NUL-padded to ``size``."""
    data = text.encode("utf-8")[: size - 1]
    data = data.decode("utf-8", errors="ignore").encode("utf-8")
    return data.ljust(size, b"\0")


def _tag(name: str, body: bytes) -> bytes:
    return f"<{name}>".encode() + body + f"</{name}>".encode()


def write_dta(
    frame: pl.DataFrame,
    path: Path,
    labels: dict[str, str] | None = None,
    title: str = "",
    timestamp: dt.datetime | None = None,
) -> Path:
    """Write ``frame`` as Stata 118 with variable ``labels`` (cut at 80 characters) and ``title``."""
    import numpy as np

    labels = labels or {}
    names = frame.columns
    long_names = [n for n in names if len(n.encode()) > 32]
    if long_names:
        raise StataError(f"Stata variable names are at most 32 characters: {', '.join(long_names)}")
    bad = [n for n in names if not n.isidentifier()]
    if bad:
        raise StataError(f"not Stata variable names (letters, digits and _ only): {', '.join(bad)}")
    if len(names) > 32767:
        raise StataError("Stata holds at most 32,767 variables")
    columns = [_column(frame[n]) for n in names]
    record = np.dtype([(f"f{i}", values.dtype) for i, (_, values, _) in enumerate(columns)])
    data = np.empty(frame.height, dtype=record)
    for i, (_, values, _) in enumerate(columns):
        data[f"f{i}"] = values
    stamp = (timestamp or dt.datetime.now()).strftime("%d %b %Y %H:%M").encode()
    label = _fixed(title, 81).rstrip(b"\0")
    header = _tag(
        "header",
        _tag("release", b"118")
        + _tag("byteorder", b"LSF")
        + _tag("K", struct.pack("<H", len(names)))
        + _tag("N", struct.pack("<Q", frame.height))
        + _tag("label", struct.pack("<H", len(label)) + label)
        + _tag("timestamp", struct.pack("<B", len(stamp)) + stamp),
    )
    sections = [
        (
            "variable_types",
            b"".join(struct.pack("<H", code) for code, _, _ in columns),
        ),
        ("varnames", b"".join(_fixed(n, 129) for n in names)),
        ("sortlist", b"\0\0" * (len(names) + 1)),
        ("formats", b"".join(_fixed(fmt, 57) for _, _, fmt in columns)),
        ("value_label_names", b"\0" * 129 * len(names)),
        ("variable_labels", b"".join(_fixed(labels.get(n, "")[:80], 321) for n in names)),
        ("characteristics", b""),
    ]
    opening = b"<stata_dta>" + header
    map_size = len(b"<map>") + 14 * 8 + len(b"</map>")
    offsets = [0, len(opening)]
    position = len(opening) + map_size
    body = []
    for name, content in sections:
        offsets.append(position)
        chunk = _tag(name, content)
        body.append(chunk)
        position += len(chunk)
    offsets.append(position)  # <data>
    position += len(b"<data>") + data.nbytes + len(b"</data>")
    offsets.append(position)  # <strls>
    position += len(b"<strls></strls>")
    offsets.append(position)  # <value_labels>
    position += len(b"<value_labels></value_labels>")
    offsets.append(position)  # </stata_dta>
    position += len(b"</stata_dta>")
    offsets.append(position)  # end of file
    with path.open("wb") as out:
        out.write(opening)
        out.write(_tag("map", struct.pack("<14Q", *offsets)))
        for chunk in body:
            out.write(chunk)
        out.write(b"<data>")
        out.flush()
        data.tofile(out)
        out.write(b"</data><strls></strls><value_labels></value_labels></stata_dta>")
    return path
