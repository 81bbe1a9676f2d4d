"""The hooks of the imports: what the layers above do when a file's job ends.

Fired by imports/services.py; the receivers are registered in the AppConfig.ready() of the
apps above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run_on_commit(job_id=int, succeeded=bool): an import job ended, its rows written (succeeded) or
# not (failed: an error, the server stopped, the data changed since the file was checked).
job_finished = declare("imports.job_finished")
