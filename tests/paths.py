"""Paths the tests share (import this, not conftest: conftest modules are not importable reliably)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
