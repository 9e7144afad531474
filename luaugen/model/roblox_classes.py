"""The Roblox Instance classes a schema may name for `instance` fields, and their `IsA` chain.

One table feeds the semantic check, the Python mirror's `Instance.is_a` and the offline host's shim, so all three agree.
"""

CLASS_PARENTS: dict[str, str | None] = {
    "Instance": None,
    "Accessory": "Instance",
    "Attachment": "Instance",
    "BasePart": "Instance",
    "Folder": "Instance",
    "Humanoid": "Instance",
    "MeshPart": "BasePart",
    "Model": "Instance",
    "ModuleScript": "Instance",
    "Part": "BasePart",
    "Player": "Instance",
    "RemoteEvent": "Instance",
    "RemoteFunction": "Instance",
    "Sound": "Instance",
    "Tool": "Instance",
    "UnionOperation": "BasePart",
    "UnreliableRemoteEvent": "Instance",
}


def is_a(class_name: str, ancestor: str) -> bool:
    current: str | None = class_name
    while current is not None:
        if current == ancestor:
            return True
        current = CLASS_PARENTS.get(current)
    return False
