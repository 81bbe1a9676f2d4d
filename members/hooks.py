"""The hooks of the members: what the layers above do when members are written in bulk.

Fired by members/importers; the receivers are registered in the AppConfig.ready() of the
apps above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run(admitted={(branch id, gender, role or None, joined_on, trained_on or None): members}) -> bool,
# inside the transaction that wrote them: new members, each with exactly the rows members.history.on_admission
# gives — one membership period at the branch, open from joined_on; a role row from that day unless a plain
# member (role None); one training on trained_on, if any — active, and in no other row. A receiver that
# counted them into what it keeps (the reports' rollups) returns True; the import then queues no refresh
# of the members' figures for them.
members_admitted = declare("members.members_admitted")
