"""For the tests of the WeasyPrint shortcuts (reports/renderers/*: installed for WeasyPrint 70 only)."""

from __future__ import annotations

from collections.abc import Callable


def with_and_without(shortcut, make: Callable[[], bytes]) -> tuple[bytes, bytes]:
    """The file `make` writes with the shortcut installed, and with WeasyPrint's own code (the shortcut is
    installed again afterwards, as every render installs it)."""
    assert shortcut.install()
    ours = make()
    shortcut.uninstall()
    try:
        theirs = make()
    finally:
        assert shortcut.install()
    return ours, theirs
