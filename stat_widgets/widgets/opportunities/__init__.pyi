"""The public names of ``stat_widgets.widgets.opportunities``: this file is their one list
(``__init__.py`` hands it to ``lazy_loader.attach_stub``, which imports each name's module on
first use)."""

from .footprints import OpportunityFootprints as OpportunityFootprints
from .section import OpportunitySection as OpportunitySection
from .table import OpportunityTable as OpportunityTable
