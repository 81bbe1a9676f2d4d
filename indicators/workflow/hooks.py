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

# run_on_commit(organization=Organization, period=ReportingPeriod, by=User, comment=str, event_id=int):
# the organization sent its figures up; the bodies above may now decide (the notifications tell them).
submission_submitted = declare("indicators.submission_submitted")

# run_on_commit(organization=Organization, period=ReportingPeriod, by=User, comment=str, event_id=int):
# the body above sent the figures back for correction, saying why.
submission_returned = declare("indicators.submission_returned")
