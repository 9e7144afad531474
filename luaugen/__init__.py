"""luaugen: compile Strongest Dungeon Crawler's YAML channel schemas into typed Luau and a Python mirror."""

__version__ = "0.1.0"
