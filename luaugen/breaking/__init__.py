"""Breaking-change check between two manifests (`luaugen breaking`)."""

from .compare import RULES, Change, Effect, ManifestError, compare, compare_changes, summarize

__all__ = ["RULES", "Change", "Effect", "ManifestError", "compare", "compare_changes", "summarize"]
