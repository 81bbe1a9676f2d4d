"""Named hooks: how a lower layer lets an upper one act, without importing it.

An app imports only the layers below it (docs/architecture.md). When a write below must be
followed by work above — branches merged, so their members move; figures saved, so the
dashboards' rollups are refreshed — the lower layer declares a hook where it is fired and
calls it by name in its service; the upper app registers its receiver in AppConfig.ready():

    # organizations/hooks.py
    branches_merged = declare("organizations.branches_merged", required=True)
    # organizations/services.py, inside the merge's transaction
    hooks.branches_merged.run(branches=sources, into=target, effective_date=day, note=note)
    # members/apps.py
    branches_merged.register(receivers.move_members)

Two ways to fire one:
- `run()` now, inside the caller's transaction: for what must commit or fail with the action
  (the members of merged branches, the reports frozen on acceptance);
- `run_on_commit()` once the caller's transaction has committed: for follow-up work (the
  rollups, a new period's figures), which the receiver hands to the job runner
  (unionportal.jobs); a failure there is logged and never undoes the action.

Not Django signals: every hook is declared in one place, fired by name, and listed with its
receivers in docs/architecture.md; tests/unionportal/test_hooks.py asserts that table.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

Receiver = Callable[..., Any]
logger = logging.getLogger(__name__)

# Every declared hook, by name (tests/unionportal/test_hooks.py checks the receivers of each).
HOOKS: dict[str, Hook] = {}


class Hook:
    """A named point where receivers run. `required`: firing it with no receiver is a configuration error.

    `coalesce`: firings of one transaction that run on commit are merged into one run, each
    argument the union of what they passed (iterables only): a thousand branches founded in
    one transaction refresh the rollups once.
    """

    def __init__(self, name: str, *, required: bool = False, coalesce: bool = False) -> None:
        self.name, self.required, self.coalesce = name, required, coalesce
        self._receivers: list[Receiver] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"

    def register(self, receiver: Receiver) -> Receiver:
        if receiver not in self._receivers:  # ready() may run more than once
            self._receivers.append(receiver)
        return receiver

    def unregister(self, receiver: Receiver) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[Receiver, ...]:
        return tuple(self._receivers)

    def run(self, **payload: Any) -> list[Any]:
        """Now, inside the caller's transaction: what every receiver returns, in the order they registered."""
        if self.required and not self._receivers:
            raise ImproperlyConfigured(f"Nothing is registered for the hook {self.name}.")
        return [receiver(**payload) for receiver in self._receivers]

    def run_on_commit(self, *, on_failure: Callable[[Exception], None] | None = None, **payload: Any) -> None:
        """After the caller's transaction commits (at once outside a transaction); never if it rolls back.

        A receiver's failure is logged and never undoes the action; `on_failure(error)` lets the
        caller tell its user that the action was done but its follow-up was not (an import's job page).
        """
        connection = transaction.get_connection()
        token = _transaction_of(connection) if self.coalesce else None
        if token is not None:
            for _savepoints, callback, _robust in connection.run_on_commit:
                if isinstance(callback, _Pending) and callback.hook is self and callback.token == token:
                    callback.merge(payload)
                    callback.watch(on_failure)
                    return
        pending = _Pending(self, payload, token)
        pending.watch(on_failure)
        transaction.on_commit(pending, robust=True)


def _transaction_of(connection) -> str | None:
    """What a callback waiting for the commit belongs to: the transaction (None: not in one).

    Every callback waiting on the connection belongs to its one open transaction, except under
    Django's TestCase, which wraps each test in transactions of its own: there the outermost
    block the code itself opened (its savepoint) stands for the transaction.
    """
    for index, block in enumerate(connection.atomic_blocks):
        if not getattr(block, "_from_testcase", False):
            return connection.savepoint_ids[index - 1] if index else "transaction"
    return None


class _Pending:
    """A hook's run waiting for the commit; a coalescing hook merges the later firings into it."""

    def __init__(self, hook: Hook, payload: dict[str, Any], token: str | None) -> None:
        self.hook, self.token = hook, token
        self.payload: dict[str, Any] = {} if hook.coalesce else dict(payload)
        if hook.coalesce:
            self.merge(payload)
        self.watchers: list[Callable[[Exception], None]] = []
        self.__qualname__ = f"hook {hook.name}"  # how Django names a failed on_commit callback in the log

    def watch(self, on_failure: Callable[[Exception], None] | None) -> None:
        if on_failure is not None:
            self.watchers.append(on_failure)

    def merge(self, payload: dict[str, Iterable]) -> None:
        for key, values in payload.items():
            merged = self.payload.setdefault(key, [])
            merged.extend(value for value in values if value not in merged)

    def __call__(self) -> None:
        try:
            self.hook.run(**self.payload)
        except Exception as error:
            for on_failure in self.watchers:
                try:
                    on_failure(error)
                except Exception:
                    logger.exception("Telling of a failed %s failed too", self.hook.name)
            raise  # Django logs it (robust=True): the action stays done


def declare(name: str, *, required: bool = False, coalesce: bool = False) -> Hook:
    """Declare a hook of the portal (in the module of the layer that fires it)."""
    if name in HOOKS:
        raise ImproperlyConfigured(f"The hook {name} is declared twice.")
    hook = HOOKS[name] = Hook(name, required=required, coalesce=coalesce)
    return hook


# The core's own hook. run() with no arguments, by unionportal.warmup in a new app-server worker before
# its first request: each receiver prepares the process (reads only; a failure is logged, never raised).
worker_started = declare("unionportal.worker_started")
