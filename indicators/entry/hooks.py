"""The hook of data entry: figures were written (a cell saved, a grid file imported).

Fired by indicators/entry/services.py; the receivers are registered in the AppConfig.ready()
of the apps above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run_on_commit(within=[Organization, …], element_ids=[int, …], periods=[ReportingPeriod, …],
#               bodies=[Organization, …]):
# these figures changed for `bodies` (the rows typed, the whole grid's body for a file), which lie in
# the reporting units `within`, in these periods; whatever is computed from them there, and above, is
# out of date (a sibling of those bodies is not). Merged into one run per transaction.
figures_changed = declare("indicators.figures_changed", coalesce=True)
