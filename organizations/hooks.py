"""The hooks of the registry: what the layers above do when the union's tree changes.

Fired by organizations/services.py; the receivers are registered in the AppConfig.ready()
of the apps above (docs/architecture.md lists them; tests/unionportal/test_hooks.py checks).
"""

from unionportal.hooks import declare

# run(branches=[…], into=Organization, effective_date=date, note=str), inside a merge's or a split's
# transaction: whatever belonged to the branches (their members) passes to `into`.
branches_merged = declare("organizations.branches_merged", required=True)

# run(branches=[…], effective_date=date, reason=str), inside a dissolution's transaction:
# whatever belonged to the branches (their members' membership) ends that day.
branches_dissolved = declare("organizations.branches_dissolved", required=True)

# run(bodies=[…], parents=[…], effective_date=date), inside a restructuring's transaction and before
# anything moves: `bodies` are about to change their parent or end, `parents` are about to receive
# bodies. The reports keep the tree as it is now for the periods that ended before the date.
tree_changing = declare("organizations.tree_changing", required=True)

# run(organization=Organization, user=User) -> [Section | None, …]: the parts other apps add to
# an organization's page (a base union's members), read-only.
branch_page_sections = declare("organizations.branch_page_sections")

# run(user=User) -> [Section | None, …]: the parts other apps add to the home page above the
# user's organizations (the to-do list), read-only.
home_page_sections = declare("organizations.home_page_sections")

# run_on_commit(within=[Organization | None, …], changed={"branches", "workplaces", "members"}):
# the registry changed in these subtrees (None: anywhere) — the figures computed from it are
# out of date there and in the bodies above. Fired by every write of the registry, merged into
# one run per transaction; the reports app refreshes its rollups in the background.
registry_changed = declare("organizations.registry_changed", coalesce=True)

BRANCHES, WORKPLACES, MEMBERS = "branches", "workplaces", "members"
EVERYTHING = (BRANCHES, WORKPLACES, MEMBERS)
