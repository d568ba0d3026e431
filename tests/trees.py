"""A folder's whole content as one digest, for tests that compare a build/ before and after."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def tree_digest(folder: Path) -> str:
    """One digest of every folder, file (name and bytes) and link under ``folder``; "absent"
    when there is no folder."""
    if not folder.is_dir():
        return "absent"
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            digest.update(f"L {rel} {os.readlink(path)}\n".encode())
        elif path.is_dir():
            digest.update(f"D {rel}\n".encode())
        else:
            digest.update(f"F {rel} ".encode() + hashlib.sha256(path.read_bytes()).digest() + b"\n")
    return digest.hexdigest()


def tree_entries(folder: Path) -> dict[str, str]:
    """Every folder, file and link under ``folder`` by its relative path: what ``tree_digest``
    digests, kept apart, to say which entries differ."""
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = f"link {os.readlink(path)}"
        elif path.is_dir():
            out[rel] = "folder"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return out


def differences(found: dict[str, str], expected: dict[str, str], most: int = 8) -> str:
    """The entries of two ``tree_entries`` that differ: missing, extra, changed (at most ``most``)."""
    missing = sorted(set(expected) - set(found))
    extra = sorted(set(found) - set(expected))
    changed = sorted(rel for rel in set(found) & set(expected) if found[rel] != expected[rel])
    return f"missing {missing[:most]}, extra {extra[:most]}, changed {changed[:most]}"
