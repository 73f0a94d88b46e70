"""``FormDraft``: what ties an ``OrderForm`` to its draft file: restore the sections from it,
save them on every change, discard it, and say what happened in a bar at the top of the form.

Each section keeps its own input (``section.Drafted``: ``draft_state`` / ``restore_draft``);
this module only gathers those states by field and hands them back. A draft that no longer fits
(a product the server dropped, an interval now in the past) is restored as far as it goes, and
the bar says what did not fit.

The form saves on every change; the draft decides when a save counts: not before the file was
read (the form's first values would overwrite it), and not while it is being restored or
discarded (the sections change one by one then, and a half-restored form is not worth a file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.errors import StatError
from stat_widgets.widgets import _html, _shared
from stat_widgets.widgets.drafts import DraftFile, saved_at_text
from stat_widgets.widgets.section import Drafted

#: What a section may raise on hostile draft content it did not foresee; reported, not raised.
_RESTORE_ERRORS = (StatError, ValueError, TypeError, KeyError, IndexError, traitlets.TraitError)


class FormDraft(widgets.HBox):
    """The draft bar: what was restored (and what did not fit) and a "Discard draft" button."""

    def __init__(self, name: str, *, home: str | Path | None = None) -> None:
        self.file = DraftFile(name, home=home)
        #: What the last restore could not put back as it was, in words.
        self.messages: list[str] = []
        self._saved: dict[str, Any] | None = None
        self._save_problem = ""
        self._holding = True  # until restore() has read the file
        # Read now, so that the bar is made saying what ``restore`` will find when there is
        # no draft yet (rather than changed by an update after its creation message).
        self._loaded: tuple[dict[str, Any] | None, str] | None = self.file.load()
        data, problem = self._loaded
        first = self._status_html(restored=False, notes=[problem]) if data is None else ""
        self.status = _shared.html(first)
        self.discard_button = _shared.button(
            description="Discard draft",
            icon="trash",
            tooltip=f"Delete the saved draft {name!r} and empty the form",
            layout=_shared.shared("layout_auto"),
        )
        super().__init__(
            [self.discard_button, self.status],
            layout=_shared.shared("layout"),
            _dom_classes=("stat-widgets-draft",),
        )

    @contextmanager
    def _hold(self) -> Iterator[None]:
        """Saves are ignored inside (the sections are being restored or emptied)."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    @property
    def name(self) -> str:
        return self.file.name

    def restore(self, sections: Sequence[Any]) -> dict[str, Any] | None:
        """Put the saved states back into ``sections`` in their order (the product before the
        filters that depend on it); returns the loaded draft, or ``None``. Saves count from
        now on."""
        with self._hold():
            return self._restore(sections)

    def _restore(self, sections: Sequence[Any]) -> dict[str, Any] | None:
        loaded, self._loaded = self._loaded, None
        data, problem = loaded if loaded is not None else self.file.load()
        self.messages = [problem] if problem else []
        if data is None:
            self._saved = self.state_of(sections)  # an empty form is not worth a file
            self._show(restored=False)
            return None
        states = data["sections"]
        for section in sections:
            if isinstance(section, Drafted) and section.field in states:
                self.messages += self._restore_one(section, states[section.field])
        self._saved = self.state_of(sections, data.get("submitted"))
        self._show(restored=True, when=saved_at_text(data))
        return data

    def _restore_one(self, section: Any, state: Any) -> list[str]:
        try:
            return [m for m in section.restore_draft(state) if m]
        except _RESTORE_ERRORS as exc:
            return [f"{section.title}: the draft's value could not be restored ({exc})."]

    def state_of(self, sections: Sequence[Any], submitted: Any = None) -> dict[str, Any]:
        states = {s.field: s.draft_state() for s in sections if isinstance(s, Drafted)}
        return {"sections": states, "submitted": submitted}

    def save(self, sections: Sequence[Any], *, submitted: Any = None) -> None:
        """Write the sections' states if they changed since the last write (and the draft is
        not being restored or discarded)."""
        if self._holding:
            return
        state = self.state_of(sections, submitted)
        if state == self._saved:
            return
        problem = self.file.save(state)
        if problem != self._save_problem:
            self._save_problem = problem
            self._show(restored=bool(self.messages))
        if not problem:
            self._saved = state

    def discard(self, sections: Sequence[Any], reset: Callable[[], None]) -> None:
        """Delete the file and empty every section (the next change starts a new draft)."""
        problem = self.file.discard()
        with self._hold():
            for section in reversed(list(sections)):
                if isinstance(section, Drafted):
                    self._restore_one(section, None)
            self.messages = [problem] if problem else []
            self._saved = self.state_of(sections)
            reset()
        self.status.value = _html.muted(f"Draft {self.name!r} discarded; the form is empty.")

    def _show(self, *, restored: bool, when: str = "") -> None:
        notes = [*self.messages, self._save_problem]
        self.status.value = self._status_html(restored=restored, when=when, notes=notes)

    def _status_html(self, *, restored: bool, when: str = "", notes: Sequence[str] = ()) -> str:
        if restored:
            lead = f"Restored draft {self.name!r}" + (f" (saved {when})" if when else "") + "."
        else:
            lead = f"Your input is saved as draft {self.name!r} as you go."
        return _html.muted(lead) + "".join(f"<div>{_html.error(m)}</div>" for m in notes if m)


__all__ = ["FormDraft"]
