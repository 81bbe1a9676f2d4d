"""The hooks of the reports: what the layers above do when a report file is ready or failed.

Fired by reports/jobs.py; the receivers are registered in the AppConfig.ready() of the apps
above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run_on_commit(report_file_id=int, succeeded=bool): a report file asked for in the background is
# ready to download (succeeded) or failed.
file_finished = declare("reports.file_finished")
