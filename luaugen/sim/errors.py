"""Luau errors as Python exceptions: the message and the stack traceback, split apart."""

from __future__ import annotations


class LuauError(RuntimeError):
    """An error raised by Luau code (compile or runtime); `message` is the Luau message, `traceback` the stack."""

    def __init__(self, message: str, traceback: str = ""):
        super().__init__(message)
        self.message = message
        self.traceback = traceback


def split_trace(text: str) -> tuple[str, str]:
    """"message\\nstack traceback:\\n<frames>" (as built by the runner's error handler) -> (message, frames)."""
    head, _, tail = text.partition("\nstack traceback:")
    if head.startswith("runtime error: "):
        head = head[len("runtime error: ") :]
    return head, tail.strip()


def from_text(text: str) -> LuauError:
    return LuauError(*split_trace(text))


def guard(fn):
    """Turn pluau's RuntimeError (a Luau error escaping a call from Python) into LuauError."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RuntimeError as exc:
            if isinstance(exc, LuauError):
                raise
            raise from_text(str(exc)) from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper
