"""`luaugen build --watch`: a broken edit reports and keeps the last good output; the fix rebuilds."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from .harness import snapshot

CHANNEL = "channel: Chat\nintents:\n  Say:\n    payload:\n      text: string\n"
WAIT = 60.0  # seconds for one expected line: generous for a loaded 2-core machine; the test takes ~2 s alone


class _Lines:
    """Every line the watcher prints (stderr merged into stdout, in order), read on a thread so the pipe never fills."""

    def __init__(self, process: subprocess.Popen):
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(process.stdout,), daemon=True).start()

    def _pump(self, stream) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> list[str]:
        """The lines up to and including the first one containing `text`."""
        deadline = time.monotonic() + WAIT
        got = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.1)
            except queue.Empty:
                continue
            got.append(line)
            self.seen.append(line)
            if text in line:
                return got
        raise AssertionError(f"no line with {text!r} within {WAIT} s; saw:\n" + "\n".join(self.seen))


def test_watch_rebuilds_after_a_broken_and_a_fixed_edit(tmp_path: Path):
    schema = tmp_path / "schemas" / "chat.yaml"
    schema.parent.mkdir()
    schema.write_text(CHANNEL, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "luaugen.cli", "build", "--watch", "--root", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    try:
        lines = _Lines(process)
        assert "luaugen dev: 1 schema files, 1 channels, 1 messages" in lines.wait_for("luaugen dev:")[-1]
        lines.wait_for("luaugen: watching schemas/ and luaugen.toml")
        good = snapshot(tmp_path / "generated")

        schema.write_text(CHANNEL + "      loud: { type: bool\n", encoding="utf-8")  # an unclosed `{` while typing
        broken = lines.wait_for("nothing written")
        assert broken[0] == ""
        assert broken[1] == "luaugen: changed: schemas/chat.yaml"
        assert "schemas/chat.yaml:6:13: error: unclosed '{': this mapping is never closed with '}' [yaml-syntax]" in broken
        assert broken[-1] == "luaugen: 1 error; nothing written"
        assert snapshot(tmp_path / "generated") == good  # the last good output stays whole

        schema.write_text(CHANNEL + "      loud: { type: bool }\n", encoding="utf-8")
        fixed = lines.wait_for("luaugen dev:")
        assert fixed[:2] == ["", "luaugen: changed: schemas/chat.yaml"]
        assert fixed[-1].startswith("luaugen dev: 1 schema files, 1 channels, 1 messages")
        rebuilt = lines.wait_for("wrote generated/manifest.json")  # the payload changed: so did the manifest
        assert "written 0" not in "\n".join(rebuilt)
        assert "loud" in (tmp_path / "generated" / "luau" / "Networking" / "Types.luau").read_text(encoding="utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=WAIT)
        finally:
            process.kill()
    assert process.returncode == 0
    summaries = [line for line in lines.seen if line.startswith("luaugen dev:")]
    assert len(summaries) == 2  # the first build and the rebuild after the fix; the broken edit wrote nothing
