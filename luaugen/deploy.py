"""Profiles without churn: the committed tree follows `[project] profile`; other profiles build to `--out DIR`.

`luaugen.toml` names the profile of the committed `generated/` tree and the manifest records the profile it was
built with, so `build --check` always compares like with like. A deploy pipeline runs
`luaugen build --profile release --out DIR`, which writes only the two Luau modules into DIR (`DIR/Networking`,
`DIR/NetworkingServer`; ids still locked by the committed manifest) and never touches the committed tree.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

from .config import Config
from .write import RECORD


class DeployError(Exception):
    """An `--out` folder or `--profile` that would clash with the committed tree or the schemas."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_profile(config: Config, profile: str | None, out: Path | None) -> None:
    """A profile other than luaugen.toml's may only be built to `--out`: in place it would rewrite committed files."""
    if profile is None or profile == config.profile or out is not None:
        return
    raise DeployError(
        f"--profile {profile} would rewrite the committed tree, which luaugen.toml builds with profile "
        f"'{config.profile}'; write a {profile} build elsewhere with --out DIR (e.g. for a deploy), "
        "or change [project] profile")


def recorded_profile_mismatch(config: Config, manifest: dict | None) -> str | None:
    """Why a `--check` fails as a whole: the committed tree was built with another profile than luaugen.toml's."""
    recorded = (manifest or {}).get("profile")
    if recorded is None or recorded == config.profile:
        return None
    return (f"{config.manifest} was built with profile '{recorded}' but luaugen.toml says '{config.profile}': "
            "run `luaugen build` and commit; build other profiles with --out DIR")


def deploy_config(config: Config, out: Path) -> Config:
    """The config that writes the two Luau modules into `out` (each under its own folder name) and nothing else.

    `out` may lie outside the project (a deploy pipeline's staging folder) but never where it would mix with what
    the project keeps: the project root or a folder above it, the schemas, or the committed output.
    """
    target = out.resolve()
    root = config.root.resolve()
    if _inside(root, target):
        raise DeployError(f"--out {out} holds the whole project; choose a folder of its own")
    schemas = (root / config.schemas).resolve()
    if _inside(target, schemas):
        raise DeployError(f"--out {out} is inside the schemas folder '{config.schemas}'")
    for committed in (config.luau_out, config.luau_server, config.python_package_dir, config.manifest):
        path = (root / committed).resolve()
        if _inside(target, path) or _inside(path, target):
            raise DeployError(f"--out {out} overlaps the committed output '{committed}'; choose a separate folder")
    if target.exists() and not target.is_dir():
        raise DeployError(f"--out {out} exists and is not a folder")
    # Every output lies inside `target`, so removing stale files can only ever touch the deploy folder.
    shared, server = PurePosixPath(config.luau_out).name, PurePosixPath(config.luau_server).name
    if shared == server:
        raise DeployError(f"--out needs the two Luau outputs to have different folder names, both are '{shared}'")
    return replace(config, root=target, luau_out=shared, luau_server_out=server, python_out=None,
                   manifest=RECORD)


def deploy_files(config: Config, deploy: Config, files: dict[str, str]) -> dict[str, str]:
    """The Luau files of a build, keyed for the deploy config; the Python mirror and manifest stay behind."""
    moves = ((config.luau_out + "/", deploy.luau_out + "/"), (config.luau_server + "/", deploy.luau_server + "/"))
    return {new + path[len(old):]: text for path, text in files.items()
            for old, new in moves if path.startswith(old)}
