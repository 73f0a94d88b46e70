"""The two conformance names ``stat_widgets.server`` exports (``STAT_CORE``,
``STAT_CONFORMANCE``), re-exported from :mod:`stat_widgets.conformance`, where every class
lives and the client's dialect detection reads them too. A module of its own because the
package's ``lazy_loader`` stub takes only imports from inside the package. Import-free of
FastAPI."""

from __future__ import annotations

from stat_widgets.conformance import STAT_CONFORMANCE, STAT_CORE

__all__ = ["STAT_CONFORMANCE", "STAT_CORE"]
