"""Write a build to disk as one transaction, deterministically; remove only files luaugen provably wrote.

The output spans several folders, so no single rename can swap it. Instead an undo journal makes the whole build
visible at one moment, the journal's removal:

1. Stage every changed file beside its target (`.<name>.luaugen-XXXX.tmp`), and hard-link a backup of every file
   about to be replaced or removed (`.<name>.luaugen-XXXX.bak`). A failure here has changed nothing.
2. Write the journal (atomically) naming the staged files, the backups and the targets that are new.
3. Rename the staged files into place and remove stale files.
4. Remove the journal: the new output is committed. Then drop the backups.

A failure in step 3 is undone at once; a build killed in step 3 is undone by `recover` at the start of the next
build (targets get their backups back, new targets go). Either way the tree holds entirely the old output or
entirely the new. Temporary files of a killed build are cleaned by `recover`, and `--check` fails while any exist.

Removal: the manifest lists every file a build wrote with its sha256. A file no longer produced is removed only if
the previous manifest lists it and its content still has that hash; anything else is left and reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .config import CONFIG_NAME, Config

JOURNAL = ".luaugen-journal.json"
RECORD = ".luaugen-files"  # in a `--out` deploy folder: the file list a manifest keeps elsewhere (no extension: Rojo skips it)
_TEMP = re.compile(r"^\..+\.luaugen-[a-z0-9_]+\.(tmp|bak)$")


@dataclass
class Plan:
    """What writing `files` would change under the output folders."""

    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # written by an earlier build, unchanged since, no longer produced
    kept: list[str] = field(default_factory=list)  # no longer produced but edited since: left in place
    leftovers: list[str] = field(default_factory=list)  # temporary files or journal of an interrupted build

    @property
    def is_clean(self) -> bool:
        return not self.changed and not self.stale and not self.leftovers


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _guard(config: Config):
    """A check for paths read from a manifest or journal: the path luaugen may touch, or None. Allowed: inside the
    root after symlinks (an earlier build may have used other output paths), never the schemas, luaugen.toml or
    .git."""
    root = config.root.resolve()
    protected = [(root / name).resolve() for name in (config.schemas, CONFIG_NAME, ".git")]

    def inside(relative: object) -> Path | None:
        if not isinstance(relative, str) or Path(relative).is_absolute():
            return None
        path = root / relative
        resolved = path.resolve()
        if any(resolved.is_relative_to(p) for p in protected) or not resolved.is_relative_to(root) or resolved == root:
            return None
        return path

    return inside


def _journal_path(config: Config) -> Path:
    return config.root / Path(config.manifest).parent / JOURNAL


def leftovers(config: Config) -> list[str]:
    """Temporary files and the journal an interrupted build left under the output paths."""
    found = []
    journal = _journal_path(config)
    if journal.exists():
        found.append(journal.relative_to(config.root).as_posix())
    for output in config.output_paths:
        base = config.root / output
        folders = [base.parent] if not base.is_dir() else [base, *(p for p in base.rglob("*") if p.is_dir())]
        for folder in folders:
            if folder.is_dir():
                found += [p.relative_to(config.root).as_posix() for p in folder.iterdir() if _TEMP.match(p.name)]
    return sorted(set(found))


def plan(config: Config, files: dict[str, str], previous_manifest: dict | None = None) -> Plan:
    result = Plan()
    for relative, text in sorted(files.items()):
        path = config.root / relative
        try:
            same = path.read_bytes() == text.encode("utf-8")
        except OSError:
            same = False
        (result.unchanged if same else result.changed).append(relative)
    written_before = (previous_manifest or {}).get("files", {})
    inside = _guard(config)
    for relative, digest in sorted(written_before.items()):
        path = None if relative in files else inside(relative)
        if path is None or not path.exists():
            continue
        ours = not path.is_symlink() and path.is_file() and _digest(path) == digest
        (result.stale if ours else result.kept).append(relative)
    result.leftovers = leftovers(config)
    return result


def with_record(config: Config, files: dict[str, str]) -> tuple[dict[str, str], dict | None]:
    """`files` plus a record of their hashes in the deploy folder, and the previous record (the removal lock)."""
    relative = RECORD
    try:
        previous = json.loads((config.root / relative).read_text(encoding="utf-8"))
        listed = previous.get("files") if isinstance(previous, dict) else None
        # Only files of the two modules: the record speaks for nothing else in the deploy folder.
        outputs = (config.luau_out + "/", config.luau_server + "/")
        previous = {"files": {path: digest for path, digest in listed.items()
                              if isinstance(path, str) and path.startswith(outputs)}}
    except (OSError, ValueError, AttributeError):
        previous = None
    hashes = {path: hashlib.sha256(text.encode("utf-8")).hexdigest() for path, text in sorted(files.items())}
    record = json.dumps({"generator": "luaugen", "files": hashes}, indent=2, sort_keys=True) + "\n"
    return {**files, relative: record}, previous


def _new_file(target: Path, suffix: str) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.luaugen-", suffix=suffix, dir=target.parent)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; generated files are ordinary repository files
    return fd, Path(name)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask



def write(config: Config, files: dict[str, str], the_plan: Plan) -> None:
    """Apply `the_plan` as one transaction (see the module docstring)."""
    root = config.root
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path | None] = {}  # target -> its backup, or None when the target is new
    try:
        for relative in the_plan.changed:
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = _new_file(target, ".tmp")
            staged.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(files[relative].encode("utf-8"))
        stale = [root / relative for relative in the_plan.stale]
        for target in [*(target for _, target in staged), *stale]:
            backups[target] = _backup(target) if target.exists() else None
        _write_journal(config, staged, backups)
    except BaseException:
        _discard([temp for temp, _ in staged] + [b for b in backups.values() if b is not None])
        raise
    applied: list[Path] = []
    try:
        for temp, target in staged:
            os.replace(temp, target)
            applied.append(target)
        for path in stale:
            path.unlink(missing_ok=True)
            applied.append(path)
    except BaseException:
        _undo(applied, backups)
        _discard([temp for temp, _ in staged] + [b for b in backups.values() if b is not None])
        _journal_path(config).unlink(missing_ok=True)
        raise
    _journal_path(config).unlink()  # the commit point
    _discard([b for b in backups.values() if b is not None])
    for path in stale:
        _remove_empty_parents(path.parent, root)


def _write_journal(config: Config, staged: list[tuple[Path, Path]], backups: dict[Path, Path | None]) -> None:
    def rel(path: Path | None) -> str | None:
        return None if path is None else path.relative_to(config.root).as_posix()

    entries = {"staged": [rel(temp) for temp, _ in staged],
               "targets": [[rel(target), rel(backup)] for target, backup in backups.items()]}
    journal = _journal_path(config)
    journal.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = _new_file(journal, ".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entries, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, journal)
    except BaseException:
        _discard([temp])
        raise


def recover(config: Config) -> list[str]:
    """Undo a build that was killed before it committed and clean its temporary files; returns what was done.

    Raises ValueError when the journal cannot be trusted (unreadable, or naming paths outside the outputs).
    """
    done = []
    journal = _journal_path(config)
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
            inside = _guard(config)
            targets = [(inside(t), inside(b) if b is not None else None) for t, b in entries["targets"]]
            staged = [inside(temp) for temp in entries["staged"]]
            temporary = staged + [b for _, b in targets if b is not None]
            if any(t is None for t, _ in targets) or any(p is None or not _TEMP.match(p.name) for p in temporary):
                raise ValueError("it names paths luaugen does not write")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"cannot undo the interrupted build recorded in {journal}: {exc}; "
                             "restore the output from version control and delete the journal") from exc
        applied = [target for target, _ in targets]
        _undo(applied, dict(targets))
        _discard(temporary)
        journal.unlink()
        done.append(f"undid an interrupted build ({len(applied)} files restored)")
    stray = leftovers(config)
    _discard([config.root / relative for relative in stray])
    if stray:
        done.append(f"removed {len(stray)} temporary files of an interrupted build")
    return done


def _backup(target: Path) -> Path:
    fd, backup = _new_file(target, ".bak")
    os.close(fd)
    backup.unlink()
    try:
        os.link(target, backup)  # the same inode: restoring it keeps the original bytes, mode and mtime
    except OSError:
        shutil.copy2(target, backup)  # a file system without hard links
    return backup


def _undo(applied: list[Path], backups: dict[Path, Path | None]) -> None:
    """Changed targets get their backup back; targets that were new are removed."""
    for target in reversed(applied):
        backup = backups[target]
        if backup is None:
            target.unlink(missing_ok=True)
        elif backup.exists():
            os.replace(backup, target)


def _discard(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # reported as a leftover by the next plan, removed by the next recover


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
