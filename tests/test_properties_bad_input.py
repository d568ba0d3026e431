"""Property-based tests (Hypothesis) of bad input (issue 21): edition.toml loading, ``validate`` and
``build`` on generated damage (byte flips, truncations, cut ranges, values of the wrong type).

Whatever the damage: no traceback, only a documented exit status (0 fine, 1 errors in the input,
2 could not run), and after a failed build, build/ exactly as it was. Kept fast: a few dozen
examples each, no deadline (the first validation compiles the schema).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.cli import main
from edition.diagnostics import EditionError
from edition.project import SCHEMA, load_project
from edition.scaffold import init_project

DOCUMENTED = {0, 1, 2}
# derandomized (the same examples every run, no example database written), no deadline
def fast(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def workspace():
    """A project built once (txt), its edition.toml, TEI and build/ kept to restore after each example."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ed"
        init_project(root)
        result = CliRunner().invoke(main, ["-C", str(root), "build", "-q", "-o", "txt"])
        assert result.exit_code == 0, result.output
        shutil.copytree(root / "build", Path(folder) / "saved-build")
        yield root, (root / "edition.toml").read_bytes(), (root / "tei/example.xml").read_bytes()


def restore(root: Path, toml: bytes, tei: bytes) -> None:
    (root / "edition.toml").write_bytes(toml)
    (root / "tei/example.xml").write_bytes(tei)
    shutil.rmtree(root / "build")
    shutil.copytree(root.parent / "saved-build", root / "build")


# --- damage --------------------------------------------------------------------------------

@st.composite
def damaged(draw, original: bytes) -> bytes:
    """``original`` with one to three flips, truncations, cuts or insertions of odd bytes."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "truncate", "cut", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "cut":
            del data[at:at + draw(st.integers(1, 200))]
        else:
            data[at:at] = draw(st.sampled_from([b"\x00", b"\xff\xfe", b"<", b"&", b"]]>", b"[", b"\"", b"=",
                                                b"<hi>", b"</p>", b"\n[[text]]\n", "é".encode("latin-1")]))
    return bytes(data)


TOML_VALUES = st.recursive(
    st.one_of(st.integers(-3, 10**6), st.booleans(), st.text(max_size=8).map(repr), st.just("1979-05-27")),
    lambda inner: st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(map(str, xs)) + "]"),
    max_leaves=6,
).map(lambda v: str(v).replace("True", "true").replace("False", "false"))


@st.composite
def wrong_setting(draw, original: bytes) -> bytes:
    """A known key of a table set to a value of any type (often the wrong one)."""
    table = draw(st.sampled_from(["edition", "pdf", "html"]))
    key = draw(st.sampled_from(sorted(SCHEMA[table])))
    # the key's own line, if it is set already, goes: a key set twice is another error
    lines = [line for line in original.decode("utf-8").splitlines() if not line.startswith(f"{key} =")]
    text = "\n".join(lines) + "\n"
    return text.replace(f"[{table}]\n", f"[{table}]\n{key} = {draw(TOML_VALUES)}\n", 1).encode("utf-8")


def loads_or_says_why(root: Path) -> None:
    try:
        load_project(root)
    except EditionError as exc:
        assert exc.diagnostics and all(d.code and d.message for d in exc.diagnostics)


# --- properties ----------------------------------------------------------------------------

@fast(150)
@given(data=st.data())
def test_loading_a_damaged_project_file_never_raises_anything_else(workspace, data):
    root, toml, tei = workspace
    restore(root, toml, tei)
    (root / "edition.toml").write_bytes(data.draw(st.one_of(damaged(toml), wrong_setting(toml))))
    loads_or_says_why(root)


@fast(20)
@given(data=st.data())
def test_building_with_a_damaged_project_file(workspace, data):
    root, toml, tei = workspace
    restore(root, toml, tei)
    (root / "edition.toml").write_bytes(data.draw(st.one_of(damaged(toml), wrong_setting(toml))))
    check_build(root)


@fast(25)
@given(data=st.data())
def test_building_a_damaged_tei_file(workspace, data):
    root, toml, tei = workspace
    restore(root, toml, tei)
    (root / "tei/example.xml").write_bytes(data.draw(damaged(tei)))
    check_build(root)


@fast(25)
@given(data=st.data())
def test_validating_a_damaged_tei_file(workspace, data):
    root, toml, tei = workspace
    restore(root, toml, tei)
    (root / "tei/example.xml").write_bytes(data.draw(damaged(tei)))
    result = CliRunner().invoke(main, ["-C", str(root), "validate"])
    assert result.exit_code in DOCUMENTED, result.output
    assert "Traceback" not in result.output
    if result.exit_code:
        assert "error[" in result.output


def check_build(root: Path) -> None:
    before = every_file(root / "build")
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-q", "-o", "txt"])
    assert result.exit_code in DOCUMENTED, result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, (AssertionError, TypeError))
    if result.exit_code:
        assert "error[" in result.output
        assert every_file(root / "build") == before
