"""The README's first screen cannot rot: its "From Python" block runs as it stands, in a fresh
interpreter against the embedded server, and orders a future interval; the Binder badge is
built from ``[project.urls] Repository``; the spec link is the spec, not our decisions; the
pictures it shows exist. (What it says ``stat-widgets lab`` prints is compared with what the
command prints in tests/server/test_lab_command.py.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stat_widgets import TimeInterval

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
URLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
NOTEBOOK = "notebooks/01-order.ipynb"


def section(heading: str) -> str:
    """The README's text from ``heading`` (a whole line) to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ )", README, re.M | re.S)
    assert match, f"README has no section {heading!r}"
    return match[1]


def code_block(text: str, language: str) -> str:
    match = re.search(rf"^```{language}\n(.*?)^```$", text, re.M | re.S)
    assert match, f"no ```{language} block"
    return match[1]


def test_the_from_python_example_runs_as_it_stands_and_orders_the_future(tmp_path: Path) -> None:
    code = code_block(section("From Python, without widgets"), "python")
    script = tmp_path / "example.py"
    script.write_text(code)
    env = {**os.environ, "STAT_WIDGETS_HOME": str(tmp_path / "home")}
    env.pop("STAT_API_URL", None)
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    first, *listed = done.stdout.splitlines()
    word, order_id, status, interval = first.split(" ")
    assert word == "ordered" and status == "received"
    assert f"{order_id} received" in listed  # the listing has the order just created
    ordered = TimeInterval.parse(interval)
    assert ordered.start is not None and ordered.start > datetime.now(UTC)
    assert ordered.end is not None and (ordered.end - ordered.start).days == 7


def test_the_binder_badge_is_built_from_the_repository_url() -> None:
    repository = URLS["Repository"]
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?/?", repository)
    assert match, f"[project.urls] Repository must be a GitHub URL for Binder: {repository}"
    owner, name = match.groups()
    url = f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?urlpath=lab/tree/{NOTEBOOK}"
    badge = f"[![Binder](https://mybinder.org/badge_logo.svg)]({url})"
    assert section("Binder").count("mybinder.org/v2/gh/") == 2  # the badge and the fork recipe
    assert badge in section("Binder"), f"the README's Binder badge must be:\n{badge}"
    assert (REPO / NOTEBOOK).exists()


def test_the_spec_link_is_the_specification() -> None:
    spec = URLS["Specification"]
    assert f"[STAT Order API]({spec})" in README.replace("\n", "")
    # Pinned to the seed commit that docs/decisions.md names, and the Order document in it.
    pinned = r"https://github\.com/stapi-spec/stapi-spec/blob/149cd3b[0-9a-f]{33}/order/README\.md"
    assert re.fullmatch(pinned, spec)
    assert "149cd3b" in (REPO / "docs" / "decisions.md").read_text(encoding="utf-8")
    assert "](docs/decisions.md)" not in README


@pytest.mark.parametrize("picture", re.findall(r"!\[[^\]]*\]\((docs/screenshots/[^)]+)\)", README))
def test_every_picture_shown_exists(picture: str) -> None:
    assert (REPO / picture).stat().st_size > 10_000


def test_the_first_screen_shows_the_offline_map_and_go_to() -> None:
    from stat_widgets import AOIMap

    quickstart = README[: README.index("## What is in the box")]
    assert "docs/screenshots/offline-map.png" in quickstart
    assert "docs/screenshots/go-to-frankfurt.png" in quickstart
    aoi = AOIMap()
    try:
        assert f"*{aoi.go_to_box.text.placeholder}*" in quickstart  # the box's own words
    finally:
        aoi.close()
