"""Obtain the two manifests to compare: from a saved manifest file, from the working tree, or from a git revision.

Both sides are compiled in memory with `luaugen.compiler.compile_project`; nothing is written.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..compiler import compile_project
from ..config import CONFIG_NAME, Config, ConfigError, load_config
from ..diagnostics import Diagnostic, error, has_errors
from ..project import SCHEMA_SUFFIXES, decode_utf8, read_previous_manifest, read_sources, too_large
from ..load.lockfile import check_lockfile
from .compare import ManifestError, check_manifest


class SourceError(Exception):
    """A manifest could not be obtained; exit 2. `diagnostics` explain why (compile errors, bad ref, bad file)."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None):
        super().__init__(message)
        self.diagnostics = diagnostics or [error("breaking-input", message)]
        self.sources: dict[str, str] = {}


@dataclass
class Contract:
    """A manifest plus the schema texts its spans point into (for source snippets), and where it came from."""

    manifest: dict
    label: str
    sources: dict[str, str] = field(default_factory=dict)


# -- saved manifests ---------------------------------------------------------------------------------------------


def parse_manifest(text: str, label: str) -> dict:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{label}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    try:
        check_manifest(data, label)
    except ManifestError as exc:
        raise SourceError(str(exc)) from exc
    return data


def load_manifest_file(path: Path) -> Contract:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read manifest {path}: {exc}") from exc
    return Contract(parse_manifest(text, str(path)), label=str(path))


# -- compiling ---------------------------------------------------------------------------------------------------


def compile_manifest(config: Config, sources: dict[str, str], previous: dict | None, label: str) -> Contract:
    """Compile `sources` in memory and return the manifest it would write; SourceError on compile errors."""
    result = compile_project(config, sources, previous)
    if has_errors(result.diagnostics):
        err = SourceError(f"{label} does not compile", [d for d in result.diagnostics])
        err.sources = sources
        raise err
    text = result.files.get(config.manifest)
    if text is None:
        raise SourceError(f"compiling {label} produced no manifest ({config.manifest})")
    return Contract(parse_manifest(text, f"manifest compiled from {label}"), label=label, sources=sources)


def _is_schema(relpath: str) -> bool:
    return relpath.endswith(SCHEMA_SUFFIXES)


def load_working_tree(config: Config) -> Contract:
    sources, problems = read_sources(config)
    previous, manifest_problems = read_previous_manifest(config)
    problems = [d for d in problems + manifest_problems if d.is_error]
    if problems:
        err = SourceError("the working tree cannot be read", problems)
        err.sources = sources
        raise err
    return compile_manifest(config, sources, previous, "the working tree")


# -- git revisions -----------------------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise SourceError("git is not installed") from exc


def resolve_ref(root: Path, ref: str) -> str | None:
    """The commit id `ref` names in the repository at `root`, or None."""
    if ref.startswith("-"):
        return None
    proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if proc.returncode != 0:
        return None
    return proc.stdout.decode().strip() or None


def git_show(root: Path, commit: str, relpath: str) -> str | None:
    """A file's text at `commit`, `relpath` relative to `root` (which may be below the repository top); None if absent.

    Text that is not UTF-8 is a SourceError located at the first bad byte, as for files on disk.
    """
    proc = _git(root, "show", f"{commit}:./{relpath}")
    if proc.returncode != 0:
        return None
    text, problem = decode_utf8(proc.stdout, relpath)
    if problem is not None:
        raise SourceError(f"{relpath} at {commit[:12]} is not UTF-8 text", [problem])
    return text


def git_list(root: Path, commit: str, folder: str) -> list[tuple[str, int]]:
    """(path, size in bytes) of every file under `folder` at `commit`."""
    proc = _git(root, "ls-tree", "-r", "-l", "-z", commit, "--", folder)
    if proc.returncode != 0:
        raise SourceError(f"git ls-tree failed at {commit}: {proc.stderr.decode(errors='replace').strip()}")
    # ls-tree prints paths relative to the current directory (root), which is what the compiler keys sources by.
    files = []
    for entry in proc.stdout.decode("utf-8", errors="replace").split("\0"):
        if entry:
            meta, _, path = entry.partition("\t")
            size = meta.split()[-1]
            files.append((path, int(size) if size.isdigit() else 0))
    return sorted(files)


def config_at(root: Path, commit: str, ref: str) -> Config:
    text = git_show(root, commit, CONFIG_NAME)
    if text is None:
        return Config(root=root)
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, CONFIG_NAME).write_text(text, encoding="utf-8")
        try:
            config = load_config(Path(tmp))
        except ConfigError as exc:
            d = exc.diagnostic
            raise SourceError(f"{CONFIG_NAME} at {ref}: {d.message}", [dataclasses.replace(d, message=f"at {ref}: {d.message}")]) from exc
    return dataclasses.replace(config, root=root)


def load_revision(root: Path, ref: str, profile: str | None = None) -> Contract:
    """Compile the schemas as they were at git revision `ref` (with that revision's luaugen.toml and lock file)."""
    commit = resolve_ref(root, ref)
    if commit is None:
        if _git(root, "rev-parse", "--git-dir").returncode != 0:
            raise SourceError(f"{ref!r} is not a manifest file, and {root} is not inside a git repository")
        raise SourceError(f"{ref!r} is neither a git revision in {root} nor a manifest file")
    config = config_at(root, commit, ref)
    if profile is not None:
        config = config.with_profile(profile)
    folder = PurePosixPath(config.schemas).as_posix()
    sources: dict[str, str] = {}
    oversized = []
    for relpath, size in git_list(root, commit, folder):
        if not _is_schema(relpath):
            continue
        problem = too_large(relpath, size, config.max_schema_bytes)  # refused before git reads it into memory
        if problem is not None:
            oversized.append(problem)
            continue
        text = git_show(root, commit, relpath)
        if text is not None:
            sources[relpath] = text
    if oversized:
        raise SourceError(f"revision {ref} has schema files over the size limit", oversized)
    previous = None
    lock = git_show(root, commit, config.manifest)
    if lock is not None:
        try:
            previous = json.loads(lock)
        except json.JSONDecodeError:
            previous = None
        problems = check_lockfile(config.manifest, lock, previous) if previous is not None else []
        if problems:
            raise SourceError(f"the manifest at {ref} is damaged", problems)
    return compile_manifest(config, sources, previous, f"revision {ref}")
