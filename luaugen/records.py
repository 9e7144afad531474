"""`@record`: a frozen dataclass with slots that is cheaper to build.

Shared by every stage (it knows nothing of YAML, the IR or Luau), so any stage may import it.

A frozen dataclass sets each field through `object.__setattr__` (looked up and called once per field), which
makes it about twice as slow to build as a plain object. The IR, its spans and the packed layouts make tens of
thousands of them per 1,000-message build, so a record keeps its fields in slots (a third of the memory of an
object with a dict) and its `__init__` sets each through the slot's own setter. Nothing else changes: fields,
defaults, `replace`, equality, hashing, ordering, `repr` and the refusal to assign are the dataclass's. A record
has no `__dict__`, so no cached properties.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields


def record(cls=None, /, **options):
    """`@dataclass(frozen=True, slots=True, **options)` with the faster `__init__`; usable bare or with options."""

    def wrap(cls):
        if "__post_init__" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: a record has no __post_init__")
        cls = dataclass(frozen=True, slots=True, **options)(cls)
        cls.__init__, cls.__record_fields__ = _init_for(cls)
        return cls

    return wrap if cls is None else wrap(cls)


def evolve(obj, **changes):
    """`dataclasses.replace` for a record, a few times cheaper (ids are given to every message of a contract this
    way). Fields `__init__` does not take (caches such as a layout's hash) start again, as in a record built anew."""
    cls = type(obj)
    new = object.__new__(cls)
    left = len(changes)
    for name, setter, fresh in cls.__record_fields__:
        if fresh is not None:
            setter(new, fresh())
        elif name in changes:
            setter(new, changes[name])
            left -= 1
        else:
            setter(new, getattr(obj, name))
    if left:
        names = {name for name, _, fresh in cls.__record_fields__ if fresh is None}
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(changes.keys() - names))}")
    return new


_NO_VALUE = object()  # the default of a field whose default comes from a factory


def _init_for(cls):
    """The `__init__` (setting every slot through its setter) and, for `evolve`, each field's name, setter and
    how a fresh value is made when `__init__` does not take it (None when it does)."""
    namespace: dict = {"_NO_VALUE": _NO_VALUE}
    params, body, setters = [], [], []
    for f in fields(cls):
        if f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: a record has no keyword-only fields")
        setter = namespace[f"_set_{f.name}"] = getattr(cls, f.name).__set__
        if not f.init:
            if f.default_factory is not MISSING:
                fresh = namespace[f"_fresh_{f.name}"] = f.default_factory
            elif f.default is not MISSING:
                default = f.default
                fresh = namespace[f"_fresh_{f.name}"] = lambda: default
            else:
                raise TypeError(f"{cls.__name__}.{f.name}: a field __init__ does not take needs a default")
            body.append(f"_set_{f.name}(self, _fresh_{f.name}())")
            setters.append((f.name, setter, fresh))
            continue
        if f.default is not MISSING:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"_factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_NO_VALUE")
            body.append(f"if {f.name} is _NO_VALUE: {f.name} = _factory_{f.name}()")
        else:
            params.append(f.name)
        body.append(f"_set_{f.name}(self, {f.name})")
        setters.append((f.name, setter, None))
    source = f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    {line}\n" for line in body or ["pass"])
    exec(source, namespace)  # our own field names and defaults, as `dataclasses` itself builds its __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init, tuple(setters)
