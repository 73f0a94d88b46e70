"""Where stat_widgets keeps a person's files (the demo's orders, the forms' drafts): one place,
``$STAT_WIDGETS_HOME`` when set, else ``~/.stat_widgets``, read by the CLI and the widgets."""

from __future__ import annotations

import os
from pathlib import Path


def home_dir() -> Path:
    """``$STAT_WIDGETS_HOME``, else ``~/.stat_widgets`` (not created here)."""
    configured = os.environ.get("STAT_WIDGETS_HOME")
    return Path(configured).expanduser() if configured else Path.home() / ".stat_widgets"
