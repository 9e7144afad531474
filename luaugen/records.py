"""`@record`: a frozen dataclass whose `__init__` is cheaper to call.

Shared by every stage (it knows nothing of YAML, the IR or Luau), so any stage may import it.

A frozen dataclass sets each field through `object.__setattr__` (looked up and called once per field), which
makes it about twice as slow to build as a plain object. The IR and the packed layouts make tens of thousands of
them per 1,000-message build, so `record` swaps in an `__init__` that writes the instance's dict directly. Nothing
else changes: fields, defaults, `replace`, equality, hashing, `repr` and the refusal to assign are the dataclass's.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields


def record(cls=None, /, **options):
    """`@dataclass(frozen=True, **options)` with the faster `__init__`; usable bare or with options."""

    def wrap(cls):
        cls = dataclass(frozen=True, **options)(cls)
        cls.__init__ = _init_for(cls)
        # What `evolve` sets: each field `__init__` takes (None) or makes (its factory); the others are defaults.
        cls.__record_fields__ = {f.name: None if f.init else f.default_factory for f in fields(cls)
                                 if f.init or f.default_factory is not MISSING}
        return cls

    return wrap if cls is None else wrap(cls)


def evolve(obj, **changes):
    """`dataclasses.replace` for a record, a few times cheaper (ids are given to every message of a contract this
    way). Only fields are carried over: what else the old one holds (a layout's cached hash, cached properties)
    starts again, as in a record built anew."""
    cls = type(obj)
    names = cls.__record_fields__
    if not changes.keys() <= names.keys():
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(changes.keys() - names.keys()))}")
    old = obj.__dict__
    new = object.__new__(cls)
    state = new.__dict__
    for name, factory in names.items():
        if name in changes:
            state[name] = changes[name]
        elif factory is None:
            state[name] = old[name]
        else:  # a field `__init__` does not take, made by its factory
            state[name] = factory()
    return new


_NO_VALUE = object()  # the default of a field whose default comes from a factory


def _init_for(cls):
    if "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: a record keeps its fields in its __dict__ (no slots)")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: a record has no __post_init__")
    namespace: dict = {"_NO_VALUE": _NO_VALUE}
    params, body = [], []
    for f in fields(cls):
        if f.kw_only:
            raise TypeError(f"{cls.__name__}.{f.name}: a record has no keyword-only fields")
        if not f.init:
            if f.default_factory is not MISSING:  # a plain default stays a class attribute, as in a dataclass
                namespace[f"_factory_{f.name}"] = f.default_factory
                body.append(f"record_dict[{f.name!r}] = _factory_{f.name}()")
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
        body.append(f"record_dict[{f.name!r}] = {f.name}")
    source = (f"def __init__(self, {', '.join(params)}):\n"
              "    record_dict = self.__dict__\n" + "".join(f"    {line}\n" for line in body))
    exec(source, namespace)  # our own field names and defaults, as `dataclasses` itself builds its __init__
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init
