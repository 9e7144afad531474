"""The pure core: schema sources in, `{relative path: text}` and diagnostics out. Touches no disk."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from .config import Config
from .diagnostics import Diagnostic, has_errors, sorted_diagnostics
from .load.yaml_loader import load_document
from .validate.metaschema import validate_document
from .validate.prune import prune_invalid
from .model import ir
from .model.build import build_project
from .model.ids import assign_ids
from .model.layout import LayoutBuilder
from .check.rules import check_project
from .check.sizes import check_sizes
from .emit.render import render_project


@dataclass(frozen=True)
class CompileResult:
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    channels: int = 0  # how many the contract has (for the summary line: the manifest is large to parse again)
    messages: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def compile_project(config: Config, sources: dict[str, str], previous_manifest: dict | None = None) -> CompileResult:
    """Compile schema files (keyed by root-relative path) into every generated file.

    `previous_manifest` is the manifest of the last build: it locks the numeric ids. On any error no files are
    returned, so callers cannot write half a build.
    """
    with _cycle_collection_paused():
        return _compile(config, sources, previous_manifest)


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """A compile builds tens of thousands of objects (nodes, IR, code lines) that mostly live until it returns: the
    cycle collector would walk that growing heap again and again for almost nothing (about a tenth of a
    1,000-message build). A compile makes no reference cycles (tests/compiler/test_no_cycles.py), so reference
    counting frees all its garbage at once: peak memory is unchanged."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _compile(config: Config, sources: dict[str, str], previous_manifest: dict | None) -> CompileResult:
    diagnostics: list[Diagnostic] = []
    project, problems, unreadable = _model(config, sources, diagnostics)
    semantic = problems + check_project(project)
    # Packed layouts, built once for the size rules and the codecs (ids, assigned below, do not change them).
    layouts = LayoutBuilder(project, config.limits)
    if not unreadable and not has_errors(semantic):
        semantic += check_sizes(project, config, layouts)
    if unreadable:
        # A type may be defined in a file that did not load: an unknown name would be a false alarm.
        semantic = [d for d in semantic if d.code != "unknown-type"]
    diagnostics.extend(semantic)
    if has_errors(diagnostics):
        return CompileResult({}, sorted_diagnostics(diagnostics))
    project, retired = assign_ids(project, previous_manifest)
    files = render_project(project, retired, config, sorted(sources), layouts)
    return CompileResult(dict(sorted(files.items())), sorted_diagnostics(diagnostics), len(project.channels),
                         len(project.messages()))


def _model(config: Config, sources: dict[str, str],
           diagnostics: list[Diagnostic]) -> tuple[ir.Project, list[Diagnostic], bool]:
    """The IR of the files that load and pass the meta-schema (their problems added to `diagnostics`), its own
    problems, and whether any file was left out or cut. The documents end here: later stages reuse their memory
    (the IR keeps nothing of them), which saves a large build fresh pages it would otherwise fault in."""
    documents = []
    partial = False  # some file is checked without its invalid parts
    for path in sorted(sources):
        document, problems = load_document(path, sources[path])
        diagnostics.extend(problems)
        if document is not None:
            problems = validate_document(document)
            diagnostics.extend(problems)
            if problems:
                # Check the rest of the file too, so fixing one error does not reveal the next one only then.
                document = prune_invalid(document, problems)
                partial = True
                if document is not None and validate_document(document):
                    document = None
            if document is not None:
                documents.append(document)
    project, problems = build_project(documents, config)
    return project, problems, partial or len(documents) < len(sources)
