"""Replay dumps (`Net.replay.export()` JSON) from the command line: `luaugen replay show | validate | inject`.
Beside the simulator: reads dumps against the current schemas, checks payloads with the Python mirror and
reinjects them into a simulated peer (docs/replay.md)."""
