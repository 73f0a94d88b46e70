"""Binder builds the demo with repo2docker from ``binder/``: ``requirements.txt`` is installed,
then ``postBuild`` runs (repo2docker never installs the repository's own package). This test
does the same in a clean virtual environment, from a copy of the repository, and checks that
the result can run the ordering notebook: the package and its embedded server import, the
server answers, and JupyterLab has the widget extensions the notebook needs.

It installs from the package index (pip's cache makes reruns quick), so it is slow-ish; it
runs in CI because a broken Binder badge is only noticed by users otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: What repo2docker sees of the repository that matters for the build.
REPO_FILES = ("pyproject.toml", "README.md", "stat_widgets", "binder", "notebooks", "docs")
INSTALL_TIMEOUT = 600

CHECK = """
import stat_widgets
from stat_widgets import OrderApp, OrderForm, StatClient
from stat_widgets.server import start_server

server = start_server()
try:
    with StatClient(server.url) as client:
        print("products:", len(client.products()))
finally:
    server.stop()
print("stat_widgets from:", stat_widgets.__file__)

# The bundled map data is in the installed package (the wheel's data files).
from stat_widgets import AOIMap

aoi = AOIMap()
print("world layer:", [f["properties"]["kind"] for f in aoi.world_layer.data["features"]])
print("go to:", aoi.go_to("Frankfurt").label)
"""


def repo_copy(target: Path) -> Path:
    target.mkdir()
    for name in REPO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(
                source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def run(argv: list[str], *, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


@pytest.mark.timeout(INSTALL_TIMEOUT * 2)
def test_binder_files_install_a_working_demo(tmp_path: Path) -> None:
    assert (REPO / "binder" / "requirements.txt").is_file()
    post_build = REPO / "binder" / "postBuild"
    assert post_build.is_file() and os.access(post_build, os.X_OK), "postBuild must be executable"

    repo = repo_copy(tmp_path / "repo")
    env_dir = tmp_path / "binder-env"
    venv.create(env_dir, with_pip=True, clear=True)
    bin_dir = env_dir / "bin"
    # Like repo2docker: the environment's python and pip first on PATH, nothing of ours.
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(env_dir))
    python = str(bin_dir / "python")

    run([python, "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], cwd=repo, env=env)
    run(["bash", "binder/postBuild"], cwd=repo, env=env)

    out = run([python, "-c", CHECK], cwd=tmp_path, env=env)
    assert "products: " in out and "products: 0" not in out, out
    assert str(env_dir) in out  # installed into the Binder environment, not found elsewhere
    assert "world layer: ['sea', 'land', 'borders']" in out, out
    assert "go to: Frankfurt am Main, Germany" in out, out
    # The notebook's widgets render only with their JupyterLab extensions installed.
    extensions = run([python, "-m", "jupyter", "labextension", "list"], cwd=tmp_path, env=env)
    for name in ("jupyter-leaflet", "@jupyter-widgets/jupyterlab-manager"):
        lines = [line for line in extensions.splitlines() if f"{name} v" in line]
        assert lines and "enabled" in lines[0], f"{name} is not enabled:\n{extensions}"
    # The embedded server's links open through the Jupyter server's proxy (/proxy/<port>/).
    server_extensions = run(
        [python, "-m", "jupyter", "server", "extension", "list"], cwd=tmp_path, env=env
    )
    proxy = [line for line in server_extensions.splitlines() if "jupyter_server_proxy" in line]
    assert proxy and "enabled" in proxy[0], server_extensions
