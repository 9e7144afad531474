"""`luaugen lint`: tree-sitter lint of Luau game code against generated/manifest.json."""

from .engine import lint_sources
from .manifest import ManifestError, load_manifest
from .rules import RULES, LintConfigError
from .sarif import render_sarif

__all__ = ["RULES", "LintConfigError", "ManifestError", "lint_sources", "load_manifest", "render_sarif"]
