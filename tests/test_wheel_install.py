"""The wheel: built from the checkout, installed in a fresh venv outside it, it makes an edition.

Building and installing take a few seconds: the wheel is built without build isolation
(hatchling is in the test venv), and the fresh venv borrows the run-time dependencies of the
test venv through a ``.pth`` file instead of downloading them, so the test runs offline.
What it checks is ours: the package, its data and its command, installed from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def run(args, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    """Run a command outside the checkout, with no trace of the test venv in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600, **kwargs)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """A wheel and an sdist built from the checkout by ``python -m build``."""
    out = tmp_path_factory.mktemp("dist")
    done = run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT], cwd=out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory) -> Path:
    """A fresh venv, outside the checkout, with the wheel installed."""
    home = tmp_path_factory.mktemp("venv")
    target = home / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", target], cwd=home).returncode == 0
    site = Path(run([target / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                    cwd=home).stdout.strip())
    (site / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next(dist.glob("*.whl"))
    done = run([sys.executable, "-m", "pip", "--python", target / "bin/python", "install", "--no-deps",
                "--no-index", "--quiet", wheel], cwd=home)
    assert done.returncode == 0, done.stderr
    return target


def test_wheel_holds_the_package_data(dist):
    names = set(zipfile.ZipFile(next(dist.glob("*.whl"))).namelist())
    expected = ["edition/data/tei_all.rng", "edition/data/scaffold/tei/example.xml",
                "edition/data/scaffold/gitignore", "edition/data/scaffold/edition.toml"]
    # Every template and static asset of the checkout, and every vendored font, is in the wheel.
    expected += [f"edition/templates/{p.relative_to(ROOT / 'templates').as_posix()}"
                 for p in (ROOT / "templates").rglob("*") if p.is_file()]
    vendor = ROOT / "edition/static/vendor"
    expected += [p.relative_to(ROOT).as_posix() for p in vendor.rglob("*") if p.is_file()] if vendor.is_dir() else []
    missing = [name for name in expected if name not in names]
    assert not missing, missing
    assert "edition/templates/static/edition.css" in names
    assert not [n for n in names if n.startswith(("tests/", "sources/", "tei/"))]


def test_sdist_can_rebuild_everything(dist):
    with tarfile.open(next(dist.glob("*.tar.gz"))) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    for name in ("pyproject.toml", "README.md", "edition/cli.py", "edition/data/tei_all.rng",
                 "templates/text.html", "tests/conftest.py"):
        assert name in names, name


def test_installed_command_starts_a_project(venv, tmp_path):
    where = run([venv / "bin/python", "-c", "import edition; print(edition.__file__)"], cwd=tmp_path)
    assert where.stdout.strip().startswith(str(venv)), where.stdout  # the wheel, not the checkout
    assert run([venv / "bin/edition", "--version"], cwd=tmp_path).stdout.strip() == f"edition, version {_version()}"
    done = run([venv / "bin/edition", "init", "my-edition"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "my-edition/tei/example.xml").is_file()
    assert (tmp_path / "my-edition/.gitignore").read_text().startswith("# Outputs of `edition build`")


def _version() -> str:
    from edition import __version__

    return __version__


@pytest.mark.browser
def test_installed_tool_builds_the_example_and_a_browser_shows_it(venv, tmp_path, browser):
    assert run([venv / "bin/edition", "init", "ed"], cwd=tmp_path).returncode == 0
    project = tmp_path / "ed"
    done = run([venv / "bin/edition", "build"], cwd=project)
    assert done.returncode == 0, done.stderr
    page = next(p for p in (project / "build/html").rglob("*.html") if "example" in p.relative_to(project).parts[-1]
                or p.parent.name == "example")
    text = _browser_text(browser, page)
    assert "The fishing boats came back into the harbour at dawn" in text["body"]
    assert "The reprint moves the boats' return to midday" in text["notes"]
    assert "noon" in text["apparatus"] and "B" in text["apparatus"]
    assert "dawn" in text["apparatus"]
    txt = (project / "build/txt/example.txt").read_text(encoding="utf-8")
    assert "The fishing boats came back into the harbour at dawn" in " ".join(txt.split())
    if shutil.which("pdftotext"):
        pdf = project / "build/pdf/example.pdf"
        words = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        assert "harbour" in words


def _browser_text(browser, page: Path) -> dict[str, str]:
    """The visible text of the page, of its notes and of its apparatus, as Chromium shows them."""
    tab = browser.new_page()
    try:
        tab.goto(page.as_uri())
        return {"body": " ".join(tab.inner_text("body").split()),
                "notes": " ".join(" ".join(tab.locator(".note").all_text_contents()).split()),
                "apparatus": " ".join(" ".join(tab.locator(".app-entry").all_text_contents()).split())}
    finally:
        tab.close()
