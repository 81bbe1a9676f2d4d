"""The hooks of the reporting calendar (the entry and workflow rooms have theirs beside them).

Fired by indicators/periods.py; the receivers are registered in the AppConfig.ready() of
the apps above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run_on_commit(period=ReportingPeriod): a period was opened (its row created, on its first write);
# every figure computed for it is still to be computed.
period_opened = declare("indicators.period_opened")
