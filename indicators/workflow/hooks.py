"""The hooks of the submit–accept workflow.

Fired by indicators/workflow/services.py; the receivers are registered in the AppConfig.ready()
of the apps above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run(organization=Organization, period=ReportingPeriod, by=User), inside the acceptance's transaction:
# what the body above accepted is kept as it is (the reports frozen); if that fails, nothing is accepted.
submission_accepted = declare("indicators.submission_accepted", required=True)

# run(organization=Organization, period=ReportingPeriod, by=User, comment=str), inside the reopening's
# transaction: accepted figures are open for correction again. No receiver yet: the frozen reports
# stay, and a new version is made once the corrected figures are accepted.
submission_reopened = declare("indicators.submission_reopened")
