"""The atomic import: a producer's zip, folder or file → validated tables in the data directory.

An import writes everything into a fresh temporary directory, validates it, and only then
renames it into place and rewrites ``CURRENT`` (an atomic replace). A corrupt, truncated or
wrong-format file raises :class:`~allies.research.store.ImportFailed` and the version in use
stays exactly as it was. Each data set's reader (ATOP, the state lists, NMC, the major
powers) is named in :data:`READERS`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sys
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

from allies.research import atop, capabilities, systems
from allies.research.sources import SourceSpec, source
from allies.research.store import (
    FileRecord,
    ImportFailed,
    Manifest,
    Normalized,
    imports_dir,
    sha256_bytes,
)

Reader = Callable[[dict[str, Path]], Normalized]

#: Data set → the function that reads and validates its files.
READERS: dict[str, Reader] = {
    "atop": atop.read_release,
    "cow-states": systems.read_cow_release,
    "gw-states": systems.read_gw_release,
    "nmc": capabilities.read_nmc_release,
    "cow-majors": capabilities.read_majors_release,
}


#: The most a file inside a zip may hold once decompressed (ATOP's largest is ~30 MB), and the most
#: one import may decompress in all: a zip bomb is refused before it fills memory.
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, budget: list[int]) -> bytes:
    """A member's bytes, never more than the limits allow (whatever its header claims)."""
    limit = min(MAX_MEMBER_BYTES, budget[0])
    too_big = ImportFailed(
        f"{where}!{info.filename}: more than {limit // (1024 * 1024)} MiB once decompressed "
        f"({info.compress_size} bytes compressed); refused, not a data file of this release"
    )
    if info.file_size > limit:
        raise too_big
    with archive.open(info) as member:
        content = member.read(limit + 1)
    if len(content) > limit:
        raise too_big
    budget[0] -= len(content)
    return content


def _zip_members(
    data: bytes, where: str, wanted: set[str], depth: int = 0, budget: list[int] | None = None
) -> dict[str, tuple[str, bytes]]:
    """The wanted files in a zip (and in the zips inside it, one level down): basename → (path, bytes).

    Only wanted members are decompressed, each within :data:`MAX_MEMBER_BYTES` and all within
    :data:`MAX_ARCHIVE_BYTES`. When nothing wanted is there and the zip holds a single file, that
    file is read (a renamed CSV; validation decides).
    """
    budget = [MAX_ARCHIVE_BYTES] if budget is None else budget
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = []
        for info in archive.infolist():
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
            if info.is_dir() or base.startswith("._") or "__MACOSX" in info.filename:
                continue
            infos.append((base, info))
        chosen = [(b, i) for b, i in infos if b in wanted or (b.endswith(".zip") and depth == 0)]
        if not any(b in wanted for b, _ in chosen) and len(infos) == 1:
            chosen = infos
        found: dict[str, tuple[str, bytes]] = {}
        for base, info in chosen:
            content = _read_member(archive, info, where, budget)
            if base.endswith(".zip") and depth == 0 and base not in wanted:
                inner = _zip_members(content, f"{where}!{info.filename}", wanted, depth + 1, budget)
                for name, item in inner.items():
                    found.setdefault(name, item)
            else:
                found.setdefault(base, (f"{where}!{info.filename}", content))
        return found
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ImportFailed(f"{where} is not a readable zip archive ({exc})") from None
    except (ValueError, RuntimeError, NotImplementedError) as exc:  # CRC errors, encrypted members
        raise ImportFailed(f"{where} is damaged: {exc}") from None


def _gather(spec: SourceSpec, path: Path) -> tuple[dict[str, tuple[str, bytes]], str | None]:
    """Find the release's files under ``path`` (a zip, a folder or a single file).

    Returns key → (where it was found, bytes), and the sha256 of the archive if one was given.
    """
    if not path.exists():
        raise ImportFailed(f"{path} does not exist")
    candidates: dict[str, tuple[str, bytes]] = {}
    archive_sha: str | None = None
    wanted = {n for f in spec.files for n in (*f.names, *f.tab_separated_names)}
    if path.is_dir():
        files = [f for f in sorted(path.rglob("*")) if f.is_file() and len(f.relative_to(path).parts) <= 4]
        for file in files:
            if file.name.lower() in wanted:
                candidates.setdefault(file.name.lower(), (str(file), file.read_bytes()))
        if not wanted.issubset(candidates):
            for file in files:
                if file.suffix.lower() == ".zip":
                    for base, item in _zip_members(file.read_bytes(), str(file), wanted).items():
                        if base in wanted:
                            candidates.setdefault(base, item)
    else:
        data = path.read_bytes()
        if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
            archive_sha = sha256_bytes(data)
            candidates = _zip_members(data, str(path), wanted)
        elif len(required := [f for f in spec.files if not f.optional]) == 1:
            # A single file for a single-file data set: accept it whatever its name.
            only = required[0]
            name = path.name.lower()
            key_name = name if only.matches(name) else only.names[0]
            if not only.matches(name) and _looks_tab_separated(data) and only.tab_separated_names:
                key_name = only.tab_separated_names[0]
            return {only.key: (f"{path}|{key_name}", data)}, None
        else:
            candidates = {path.name.lower(): (str(path), data)}
    chosen: dict[str, tuple[str, bytes]] = {}
    for spec_file in spec.files:
        for base in (*spec_file.names, *spec_file.tab_separated_names):
            if base in candidates:
                where, content = candidates[base]
                chosen[spec_file.key] = (f"{where}|{base}", content)
                break
    missing = [f for f in spec.files if f.key not in chosen and not f.optional]
    required = [f for f in spec.files if not f.optional]
    if missing and len(missing) == len(required) == 1 and len(candidates) == 1:
        # One file of another name (e.g. a renamed CSV inside a zip): let validation decide.
        ((base, (where, content)),) = candidates.items()
        return {missing[0].key: (f"{where}|{base}", content)}, archive_sha
    if missing:
        listed = "; ".join(f"{f.key} ({' or '.join(f.names + f.tab_separated_names)})" for f in missing)
        raise ImportFailed(
            f"{path} does not hold the {spec.title} {spec.version} files: missing {listed}. "
            f"Give the producer's zip or its extracted folder ({spec.homepage})."
        )
    return chosen, archive_sha


def _looks_tab_separated(data: bytes) -> bool:
    first = data.split(b"\n", 1)[0]
    return b"\t" in first and b"," not in first


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


#: A leftover without a process id in its name is removed once it is this old (seconds).
ABANDONED_AFTER = 24 * 3600


def remove_abandoned(home: Path) -> list[Path]:
    """Remove the ``.incoming-*`` folders of imports that were killed (their process is gone).

    A folder is named ``.incoming-<pid>-<random>``; one whose process still runs is another
    import at work and is left alone.
    """
    removed = []
    for leftover in home.glob(".incoming-*"):
        pid_text = leftover.name.removeprefix(".incoming-").split("-", 1)[0]
        # (os.kill(pid, 0) would interrupt the process on Windows: there, age decides.)
        if pid_text.isdigit() and "-" in leftover.name.removeprefix(".incoming-") and sys.platform != "win32":
            abandoned = not _alive(int(pid_text))
        else:
            try:
                abandoned = dt.datetime.now().timestamp() - leftover.stat().st_mtime > ABANDONED_AFTER
            except OSError:
                continue
        if abandoned:
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


# -- the atomic import ---------------------------------------------------------------------------


def import_path(
    name: str,
    path: Path | str,
    *,
    origin: str | None = None,
    require_known: bool = False,
    verify: bool = False,
) -> Manifest:
    """Import the producer's files for data set ``name`` from ``path`` (zip, folder or file).

    Validates every file; on success the new version replaces the one in use, on failure
    :class:`ImportFailed` is raised and nothing changes. With ``verify``, a file whose
    producer's checksum is pinned must match it; with ``require_known``, every file must
    match a pinned producer's checksum.
    """
    spec = source(name)
    path = Path(path)
    found, archive_sha = _gather(spec, path)
    home = imports_dir() / spec.name
    home.mkdir(parents=True, exist_ok=True)
    remove_abandoned(home)
    incoming = home / f".incoming-{os.getpid()}-{uuid.uuid4().hex}"
    try:
        (incoming / "files").mkdir(parents=True)
        (incoming / "tables").mkdir()
        records: list[FileRecord] = []
        paths: dict[str, Path] = {}
        for key, (where, content) in sorted(found.items()):
            base = where.rsplit("|", 1)[1]
            target = incoming / "files" / base
            target.write_bytes(content)
            digest = sha256_bytes(content)
            pinned = spec.known_sha256.get(base)
            known = pinned == digest
            copy = spec.copies_sha256.get(base)
            if known:
                status = "producer"
            elif copy is not None and copy[0] == digest:
                status = f"copy: {copy[1]}"
            else:
                status = "unpinned"
            records.append(FileRecord(key, base, digest, len(content), known, status))
            paths[key] = target
            if (require_known and not known) or (verify and pinned is not None and not known):
                raise ImportFailed(
                    f"{base}: sha256 {digest} is not the pinned {spec.title} {spec.version} release"
                    + (f" ({pinned})" if pinned else " (no checksum is pinned for this file name)")
                    + ("" if require_known else "; to accept a changed file, fetch with --no-verify")
                )
        try:
            normalized = READERS[spec.name](paths)
        except ImportFailed:
            raise
        except Exception as exc:  # a reader meeting bytes it cannot parse
            raise ImportFailed(
                f"{path}: not a valid {spec.title} release ({type(exc).__name__}: {exc})"
            ) from None
        release = normalized.version if spec.any_release and normalized.version else spec.version
        if normalized.version is not None and normalized.version != release:
            raise ImportFailed(
                f"{path}: this is {spec.title} version {normalized.version}, but allies reads version "
                f"{spec.version}; import the {spec.version} release ({spec.homepage})"
            )
        counts: dict[str, int] = {}
        for table_name, frame in normalized.tables.items():
            frame.write_parquet(incoming / "tables" / f"{table_name}.parquet", compression="lz4")
            counts[table_name] = frame.height
        manifest = Manifest(
            name=spec.name,
            title=spec.title,
            version=release,
            origin=origin or str(path.resolve()),
            imported=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            files=records,
            tables=counts,
            derivation=normalized.derivation,
            archive_sha256=archive_sha,
            summary=normalized.summary,
            notes=list(normalized.notes),
        )
        (incoming / "manifest.json").write_text(json.dumps(manifest.as_json(), indent=2) + "\n")
        content_id = sha256_bytes("".join(r.sha256 for r in records).encode())[:12]
        # A new directory for every import: the version in use is never touched until the
        # pointer moves, even when the same files are imported again.
        final = home / f"{release}-{content_id}-d{normalized.derivation}-{uuid.uuid4().hex[:8]}"
        os.rename(incoming, final)
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    pointer = home / f".CURRENT-{uuid.uuid4().hex}"
    pointer.write_text(final.name + "\n")
    os.replace(pointer, home / "CURRENT")
    for other in home.iterdir():
        if other.is_dir() and other.name != final.name and not other.name.startswith(".incoming-"):
            shutil.rmtree(other, ignore_errors=True)
    return manifest
