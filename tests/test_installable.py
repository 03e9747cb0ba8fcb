"""Linkwork installs as a wheel and runs outside a checkout (issue 19, item 6).

The wheel is built from this checkout and installed, without its dependencies, into a
fresh venv that borrows the dependencies already installed here (a .pth file), so the
test downloads nothing. `linkwork` then runs from site-packages in an empty folder: its
templates, data, vendored front end and migrations must all have travelled in the wheel.
"""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# One run is enough: the installed copy uses its own SQLite file whichever engine the
# suite is on.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="runs once, in the SQLite run"
)


def run(*args, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_the_wheel_installs_and_runs_demo_outside_a_checkout(tmp_path):
    if not (ROOT / "linkwork" / "static_vendor" / "nhsuk").is_dir():
        pytest.fail("linkwork/static_vendor is missing: run `make assets` first")
    wheels = tmp_path / "wheels"
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        str(ROOT),
        "--no-deps",
        "--no-build-isolation",
        "-q",
        "-w",
        str(wheels),
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("linkwork-*.whl")

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", str(venv), cwd=tmp_path)
    python = venv / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "-q",
        "--no-deps",
        str(wheel),
        cwd=tmp_path,
    )
    site = run(
        str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
    ).strip()
    Path(site, "linkwork-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    home = tmp_path / "home"
    home.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {"DEBUG": "true", "LINKWORK_HOME": str(home), "PATH": os.environ.get("PATH", "")}
    linkwork = str(venv / "bin" / "linkwork")

    where = run(str(python), "-c", "import linkwork; print(linkwork.__file__)", cwd=home, env=env)
    assert where.startswith(site), f"linkwork came from {where}, not the installed wheel"
    assert "no issues" in run(linkwork, "check", cwd=home, env=env)
    run(linkwork, "migrate", "--noinput", "-v", "0", cwd=home, env=env)
    assert "linkworker@example.org" in run(linkwork, "demo", cwd=home, env=env)
    run(linkwork, "collectstatic", "--noinput", "-v", "0", cwd=home, env=env)
    for served in (
        "nhsuk/nhsuk-frontend.min.js",
        "leaflet/leaflet.js",
        "htmx/htmx.min.js",
        "linkwork/css/linkwork.css",
    ):
        assert (home / "static_collected" / served).is_file(), served
    pages = run(
        linkwork,
        "shell",
        "-c",
        "from django.test import Client; c = Client(); "
        "print(c.get('/directory/').status_code, c.get('/healthz').status_code)",
        cwd=home,
        env=env,
    )
    assert pages.strip().splitlines()[-1].split() == ["200", "200"]
    assert (home / "var" / "linkwork.sqlite3").is_file()
