"""Read an uploaded .xlsx in a child process with a memory and CPU ceiling.

    outcome = sandbox.read(path, width=9, limits=Limits())
    outcome.refused  # None, or (code, params)
    outcome.header, outcome.rows, outcome.formulas

The child runs `guard.inspect` (the bounded checks) and then python-calamine, which builds
the sheet as a dense grid in Rust: a file the checks missed could ask it for more memory
than the machine has, and Rust aborts the whole process when an allocation fails. In the
child that ends one read, which the parent reports as a refusal ("memory" or "timeout");
the web process and the job worker go on.

This module imports nothing from Django: the child starts a bare interpreter (`python -I`)
in a few tens of milliseconds and imports only it, `guard` and python-calamine.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import signal
import subprocess
import sys
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .guard import Limits, Refused, inspect

ROOT = Path(__file__).resolve().parents[2]
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from unionportal.spreadsheets import sandbox; sandbox.child_main()"
)
# Children reading at once, per process: each may use up to Limits.memory_bytes.
_READERS = threading.BoundedSemaphore(2)


@dataclass
class Outcome:
    header: list = field(default_factory=list)
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number as Excel shows it, cells)
    formulas: dict[int, set[int]] = field(default_factory=dict)
    refused: tuple[str, dict] | None = None


def read(path: str | os.PathLike, *, width: int, limits: Limits) -> Outcome:
    """The header and the non-blank rows of the first sheet, each cut or padded to `width` cells."""
    request = pickle.dumps({"path": str(path), "width": width, "limits": asdict(limits)})
    with _READERS:
        try:
            done = subprocess.run(  # noqa: S603 - our own interpreter and code, no shell
                [sys.executable, "-I", "-c", _BOOT, str(ROOT)],
                input=request,
                capture_output=True,
                timeout=limits.seconds + 5,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Outcome(refused=("timeout", {"seconds": limits.seconds}))
    if done.returncode == 0 and done.stdout:
        # A million cells and no cycles: the collector would walk them again and again as they are
        # made (0.67 → 0.3 s for a 100,000-row file).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return pickle.loads(done.stdout)  # noqa: S301 - written by our own child, below
        except Exception:  # noqa: S110 - reported below as an ended child
            pass
        finally:
            if collecting:
                gc.enable()
    if done.returncode == -signal.SIGXCPU:
        return Outcome(refused=("timeout", {"seconds": limits.seconds}))
    # Killed, aborted by a failed allocation (Rust), or out of memory in Python.
    return Outcome(
        refused=("memory", {"limit": limits.memory_bytes, "detail": done.stderr[-2000:].decode(errors="replace")})
    )


# --- the child -------------------------------------------------------------------------------------


def child_main() -> None:
    """Entry point of the child: a request on stdin, an Outcome on stdout, both pickled."""
    import gc
    import resource

    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to stderr, never into the answer
    request = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by our own parent, above
    limits = Limits(**request["limits"])
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 1))
    gc.disable()  # millions of small objects and no cycles
    try:
        outcome = _read(request["path"], request["width"], limits)
    except Refused as refusal:
        outcome = Outcome(refused=(refusal.code, refusal.params))
    except MemoryError:
        outcome = Outcome(refused=("memory", {"limit": limits.memory_bytes}))
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: twice as fast on a list of lists, and nothing is shared
    pickler.dump(outcome)
    out.write(buffer.getbuffer())
    out.close()
    # Without waiting for a calamine thread still at work on a refused file.
    os._exit(0)


# A sheet this large is read by calamine while guard scans it (calamine parses without the
# GIL, on the other core); what the scan refuses is answered at once, calamine or not.
PARALLEL_FROM_BYTES = 8 * 1024 * 1024


def _read(path: str, width: int, limits: Limits) -> Outcome:
    from python_calamine import CalamineWorkbook, PasswordError

    loaded: dict = {}

    def load() -> None:
        try:
            loaded["sheet"] = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        except BaseException as error:  # re-raised in the main thread
            loaded["error"] = error

    loader = threading.Thread(target=load, daemon=True)

    def before_sheet(size: int) -> None:
        if size >= PARALLEL_FROM_BYTES:
            loader.start()

    inspection = inspect(path, limits, before_sheet=before_sheet)
    if loader.is_alive() or loader.ident is not None:
        loader.join()
    else:
        load()
    error = loaded.get("error")
    if isinstance(error, PasswordError):
        raise Refused("encrypted")
    if isinstance(error, MemoryError):
        raise error
    if error is not None:  # calamine raises several kinds (XmlError, ZipError, CalamineError, ValueError)
        raise Refused("corrupt")
    # From A1, so that row and column numbers are Excel's.
    raw_rows = loaded["sheet"].to_python(skip_empty_area=False)
    header: list | None = None
    rows: list[tuple[int, list]] = []
    for number, cells in enumerate(raw_rows, start=1):
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width:
            cells = cells[:width]
        if header is None:
            header = cells
            continue
        if all(_blank(cell) for cell in cells):
            continue
        rows.append((number, cells))
    return Outcome(header=header or [], rows=rows, formulas=inspection.formulas)


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())
