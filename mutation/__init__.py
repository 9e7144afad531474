"""Mutation check for the generated code: `make mutation` (see docs/mutation.md)."""
