"""Where the templates are: inside the installed package (wheel), else the repository's top-level `templates/`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from .escape import luau_comment, luau_string, python_comment, python_docstring, python_string


def templates_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # Schema text reaches the output only through these filters (see luaugen.emit.escape).
    env.filters.update(luau_comment=luau_comment, luau_string=luau_string, python_comment=python_comment,
                       python_string=python_string, python_docstring=python_docstring)
    return env


def luau_templates() -> list[str]:
    """Templates emitted one to one into the Luau output folder; `_`-prefixed files are partials."""
    root = templates_dir() / "luau"
    names = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith("_") for part in path.relative_to(root).parts):
            names.append(path.relative_to(templates_dir()).as_posix())
    return names
