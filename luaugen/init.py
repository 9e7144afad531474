"""`luaugen init`: start a game repository with a config, an example channel, Rojo entries and a CI workflow.

Every file is checked before any is written, so a refusal leaves the folder exactly as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .config import CONFIG_NAME
from .emit.templates import environment

ROJO_PROJECT = "default.project.json"
WORKFLOW = ".github/workflows/networking.yml"
# Written into the workflow when luaugen was not installed from a repository URL that CI could use too.
INSTALL_VARIABLE = "${{ vars.LUAUGEN_INSTALL }}"

# Template (under templates/init/) -> where `init` writes it.
FILES = {
    "init/luaugen.toml": CONFIG_NAME,
    "init/schemas/greetings.yaml": "schemas/greetings.yaml",
    "init/workflow.yml": WORKFLOW,
}
LUAU_OUT = "generated/luau/Networking"  # [output] luau in templates/init/luaugen.toml
LUAU_SERVER_OUT = LUAU_OUT + "Server"  # its default server half
# (service, instance name, folder): where Rojo puts each generated module. The server half goes where clients
# never receive it.
ROJO_ENTRIES = (
    ("ReplicatedStorage", "Networking", LUAU_OUT),
    ("ServerScriptService", "NetworkingServer", LUAU_SERVER_OUT),
)


class InitError(Exception):
    """A reason `init` wrote nothing."""


@dataclass
class InitResult:
    written: list[str] = field(default_factory=list)
    rojo: str = ""  # what happened to the Rojo project: "merged", "unchanged" or "" (printed only)
    install: str = ""


def install_source() -> str:
    """The pip requirement CI should use: where this luaugen came from, if that is a repository CI can reach.

    pip and pipx record a `git+https://…` install in direct_url.json (PEP 610); a local or editable install
    means nothing on a CI runner, so the workflow then reads a repository variable instead.
    """
    try:
        raw = metadata.distribution("luaugen").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        raw = None
    data = json.loads(raw) if raw else {}
    vcs = data.get("vcs_info", {})
    url = data.get("url", "")
    if vcs.get("vcs") == "git" and url.startswith(("https://", "ssh://", "git@")):
        revision = vcs.get("requested_revision") or vcs.get("commit_id")
        return f"luaugen @ git+{url}" + (f"@{revision}" if revision else "")
    return INSTALL_VARIABLE


def rojo_entry() -> dict:
    """The Rojo tree entries: the shared module where both server and client can require it, the server half
    where only the server can."""
    return {service: {"$className": service, name: {"$path": path}} for service, name, path in ROJO_ENTRIES}


def merge_rojo(text: str, *, force: bool) -> str | None:
    """`default.project.json` with the Networking entries added; None when they are already there."""
    try:
        project = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InitError(f"{ROJO_PROJECT}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from exc
    tree = project.get("tree") if isinstance(project, dict) else None
    if not isinstance(tree, dict):
        raise InitError(f"{ROJO_PROJECT} has no \"tree\" object; add the entries printed below by hand")
    changed = False
    for service, name, path in ROJO_ENTRIES:
        folder = tree.setdefault(service, {"$className": service})
        if not isinstance(folder, dict):
            raise InitError(f"{ROJO_PROJECT}: \"{service}\" is not an object")
        current, wanted = folder.get(name), {"$path": path}
        if current == wanted:
            continue
        if current is not None and not force:
            raise InitError(f"{ROJO_PROJECT} already maps {service}.{name} to {json.dumps(current)}; "
                            "use --force to point it at the generated module")
        folder[name] = wanted
        changed = True
    if not changed:
        return None
    indent = "\t" if re.search(r"^\t", text, re.MULTILINE) else _indent_width(text)
    return json.dumps(project, indent=indent, ensure_ascii=False) + "\n"


def _indent_width(text: str) -> int:
    match = re.search(r"^( +)\S", text, re.MULTILINE)
    return len(match[1]) if match else 2


def init_project(folder: Path, *, force: bool = False, rojo: bool = False, install: str | None = None) -> InitResult:
    """Write the starter files into `folder` (created if missing). Raises InitError, having written nothing."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is not a folder")
    install = install or install_source()
    existing = [target for target in FILES.values() if (folder / target).exists()]
    if existing and not force:
        raise InitError(f"{', '.join(existing)} already exist{'s' if len(existing) == 1 else ''}; "
                        "nothing written (use --force to overwrite)")
    rojo_text = None
    if rojo:
        project_file = folder / ROJO_PROJECT
        if not project_file.is_file():
            raise InitError(f"no {ROJO_PROJECT} in {folder}; run `rojo init` first or leave out --rojo")
        rojo_text = merge_rojo(project_file.read_text(encoding="utf-8"), force=force)
    env = environment()
    rendered = {target: env.get_template(name).render(install=install) for name, target in FILES.items()}
    result = InitResult(install=install)
    for target, text in rendered.items():
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result.written.append(target)
    if rojo:
        if rojo_text is None:
            result.rojo = "unchanged"
        else:
            (folder / ROJO_PROJECT).write_text(rojo_text, encoding="utf-8")
            result.rojo = "merged"
    return result


def next_steps(result: InitResult) -> str:
    """What to do after `init`, shown on screen: from the example channel to the first intent in game code."""
    lines = [f"created {path}" for path in result.written]
    mapped = ", ".join(f"{service}.{name} -> {path}" for service, name, path in ROJO_ENTRIES)
    if result.rojo == "merged":
        lines.append(f"added {mapped} to {ROJO_PROJECT}")
    elif result.rojo == "unchanged":
        lines.append(f"{ROJO_PROJECT} already maps {mapped}")
    else:
        entry = json.dumps(rojo_entry(), indent=2)
        lines += ["", f"Add to \"tree\" in {ROJO_PROJECT} (`luaugen init --rojo` merges it for you):",
                  *("  " + line for line in entry.splitlines())]
    if result.install == INSTALL_VARIABLE:
        lines += ["", f"{WORKFLOW} installs luaugen from the repository variable LUAUGEN_INSTALL:",
                  "  set it (Settings > Secrets and variables > Actions > Variables) to a pip requirement such as",
                  "  luaugen @ git+https://<host>/<owner>/luaugen@<tag>"]
    lines += [
        "",
        "Next steps:",
        "  1. edit schemas/greetings.yaml (one channel per file)",
        "  2. luaugen build            # writes generated/; commit it",
        "  3. call it from game code:",
        "       local Net = require(game:GetService(\"ReplicatedStorage\").Networking)",
        "       Net.Greetings.Greet.on(function(player, payload) return { accepted = true } end)  -- server",
        "       local ok, reply = Net.Greetings.Greet.request({ emote = \"Wave\" })               -- client",
        "  4. luaugen lint             # checks src/ against the schemas",
        "  5. luaugen build --watch    # rebuilds on every schema edit",
    ]
    return "\n".join(lines) + "\n"
