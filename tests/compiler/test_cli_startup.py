"""`luaugen --help` stays cheap: it imports no subcommand's dependencies, and its listing matches the real commands."""

from __future__ import annotations

import json
import subprocess
import sys

import click

from luaugen.cli import LAZY_COMMANDS, main

HEAVY = ("jsonschema", "fastjsonschema", "jinja2", "yaml", "pluau", "tree_sitter", "luaugen.compiler",
         "luaugen.lint", "luaugen.sim", "luaugen.breaking")

PROBE = """
import json, sys
from luaugen.cli import main
try:
    main(["--help"])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {"jsonschema", "fastjsonschema", "jinja2",
      "yaml", "pluau", "tree_sitter"} or m.startswith(("luaugen.compiler", "luaugen.lint", "luaugen.sim",
      "luaugen.breaking")))))
"""


def test_help_imports_no_subcommand_dependencies():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    listing, _, modules = done.stdout.rpartition("\n[")
    assert json.loads("[" + modules) == []
    assert "Commands:" in listing and all(f"  {name} " in listing for name in [*LAZY_COMMANDS, "build", "schema"])


def test_lazy_command_help_matches_each_command():
    for name, (_, _, short_help) in LAZY_COMMANDS.items():
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command)
        assert command.get_short_help_str(200) == short_help, name
