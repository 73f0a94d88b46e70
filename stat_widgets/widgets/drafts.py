"""Drafts: a form's input kept in ``~/.stat_widgets/drafts/<name>.json`` so that it survives a
kernel restart or a reopened notebook.

The file is written on every change, atomically (a temporary file in the same directory, then
``os.replace``), so a crash mid-write leaves the previous draft, never half of one. It is read
back as hostile input: bounded in size, parsed defensively, and anything unreadable ends in a
message and a fresh draft (the unreadable file is kept beside it, renamed ``*.unreadable``),
never in an exception. ``STAT_WIDGETS_HOME`` moves the whole ``~/.stat_widgets`` directory
(tests point it at a temporary directory).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stat_widgets._home import home_dir

#: Version of the file layout; a file of another version is reported and not used.
VERSION = 1
#: A draft larger than this is not read (a drawn AOI is a few KB; a simplified upload, less
#: than a few hundred).
MAX_BYTES = 4_000_000
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def check_name(name: str) -> str:
    """A draft name is a file name, never a path: letters, digits, ``.``, ``_``, ``-``."""
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise ValueError(
            f"draft name {name!r} must be 1-80 letters, digits, '.', '_' or '-' "
            "(starting with a letter or digit)"
        )
    return name


class DraftFile:
    """One named draft on disk: ``load``, ``save`` and ``discard``, none of which raises for
    what the file system or the file's content does (they return a message instead)."""

    def __init__(self, name: str, *, home: str | Path | None = None) -> None:
        self.name = check_name(name)
        self.directory = (Path(home).expanduser() if home else home_dir()) / "drafts"
        self.path = self.directory / f"{self.name}.json"

    def load(self) -> tuple[dict[str, Any] | None, str]:
        """The saved draft (``None`` when there is none or it cannot be used) and, if it could
        not be used, why, in words."""
        try:
            if not self.path.exists():
                return None, ""
            size = self.path.stat().st_size
            if size > MAX_BYTES:
                return None, self._set_aside(f"it is {size:,} bytes, above {MAX_BYTES:,}")
            raw = self.path.read_bytes()
        except OSError as exc:
            return None, f"The draft {self.name!r} could not be read ({exc.strerror or exc})."
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return None, self._set_aside(f"it is not valid JSON ({type(exc).__name__})")
        if not isinstance(data, dict) or not isinstance(data.get("sections"), dict):
            return None, self._set_aside("it is not a draft of this form")
        if data.get("version") != VERSION:
            return None, self._set_aside(f"it has version {str(data.get('version'))[:20]!r}")
        return data, ""

    def save(self, data: dict[str, Any]) -> str:
        """Write ``data`` (with the version and time) atomically; "" or why it failed."""
        content = {"version": VERSION, "saved_at": datetime.now(UTC).isoformat(), **data}
        try:
            text = json.dumps(content, separators=(",", ":"), default=str)
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{self.name}.", suffix=".tmp", dir=self.directory)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except (OSError, TypeError, ValueError) as exc:
            return f"The draft {self.name!r} could not be saved ({exc})."
        return ""

    def discard(self) -> str:
        """Delete the saved draft; "" or why it failed."""
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            return f"The draft {self.name!r} could not be deleted ({exc.strerror or exc})."
        return ""

    def _set_aside(self, why: str) -> str:
        kept = self.path.with_suffix(".json.unreadable")
        try:
            os.replace(self.path, kept)
        except OSError:
            return f"The draft {self.name!r} could not be used: {why}. A new draft starts."
        return (
            f"The draft {self.name!r} could not be used: {why}. It was kept as {kept.name}; "
            "a new draft starts."
        )


def saved_at_text(data: dict[str, Any]) -> str:
    """When a loaded draft was saved, for people ("" when the file does not say)."""
    try:
        moment = datetime.fromisoformat(str(data.get("saved_at"))[:40])
    except ValueError:
        return ""
    if moment.tzinfo is None:
        return ""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


__all__ = ["MAX_BYTES", "VERSION", "DraftFile", "check_name", "home_dir", "saved_at_text"]
