"""Read an uploaded .xlsx in a child process with a memory and CPU ceiling.

    stream = sandbox.open_stream(path, width=9, limits=Limits())
    stream.refused                   # None, or (code, params)
    stream.header, stream.formulas, stream.count
    for rows in stream.chunks(): …   # the rows, 5,000 at a time, as the child sends them

The child runs `guard.inspect` (the bounded checks) and then python-calamine, which builds
the sheet as a dense grid in Rust: a file the checks missed could ask it for more memory
than the machine has, and Rust aborts the whole process when an allocation fails. In the
child that ends one read, which the parent reports as a refusal ("memory" or "timeout");
the web process and the job worker go on.

The child answers in frames (frames.py): first the header, the formulas and the number of rows,
or a refusal; then the rows, 5,000 to a frame, which the parent takes as they come (a thread of
the parent empties the pipe), so that the parent checks the first rows while the child still
writes the last (100,000 rows: ~0.7 s less than one answer at the end).

This module imports nothing from Django: the child starts a bare interpreter (`python -I`)
in a few tens of milliseconds and imports only it, `guard`, `frames` and python-calamine.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import frames
from .guard import Limits, Refused, inspect

ROOT = Path(__file__).resolve().parents[2]
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from unionportal.spreadsheets import sandbox; sandbox.child_main()"
)
# Children reading at once, per process: each may use up to Limits.memory_bytes.
_READERS = threading.BoundedSemaphore(2)
_ENDED = object()  # what the pump puts once the child's answer ends, whole or not
# What a frame of the wrong shape raises as it is decoded: the answer is broken.
_BROKEN = (ValueError, EOFError, TypeError, IndexError, KeyError)


@dataclass
class Outcome:
    header: list = field(default_factory=list)
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number as Excel shows it, cells)
    formulas: dict[int, set[int]] = field(default_factory=dict)


class Ended(Exception):
    """The child's answer ended before its last row: a refusal (code, params), as Stream.refused."""

    def __init__(self, code: str, params: dict) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def open_stream(path: str | os.PathLike, *, width: int, limits: Limits) -> Stream:
    """Start reading the file in a child; returns once the child has sent the header (or refused)."""
    request = pickle.dumps({"path": str(path), "width": width, "limits": asdict(limits)})
    _READERS.acquire()
    try:
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by Stream.close
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and code, no shell
            [sys.executable, "-I", "-c", _BOOT, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
    except BaseException:
        _READERS.release()
        raise
    stream = Stream(process, errors, limits)
    stream.start(request)
    return stream


class Stream:
    """One read in a child: its header at once, its rows as they come. Close it (chunks() does, at its end)."""

    def __init__(self, process: subprocess.Popen, errors, limits: Limits) -> None:
        self.process, self.errors, self.limits = process, errors, limits
        self.header: list = []
        self.formulas: dict[int, set[int]] = {}
        self.count = 0
        self.refused: tuple[str, dict] | None = None
        self._frames: queue.SimpleQueue = queue.SimpleQueue()
        self._timed_out = threading.Event()
        self._watchdog = threading.Timer(limits.seconds + 5, self._time_out)
        self._watchdog.daemon = True
        self._pump = threading.Thread(target=self._drain, daemon=True)
        self._closed = False

    def start(self, request: bytes) -> None:
        try:
            self.process.stdin.write(request)
            self.process.stdin.close()
        except OSError:
            pass  # the child ended at once: told by its exit below
        self._watchdog.start()
        self._pump.start()
        try:
            head = self._decoded(self._next())
            if head[0] == "refused":
                self.refused = (head[1], head[2])
            else:
                _kind, header, self.formulas, self.count = head
                self.header = frames.untagged_rows([(0, header)])[0][1]
        except Ended as ended:
            self.refused = (ended.code, ended.params)
        except _BROKEN:  # a head of the wrong shape: as a broken answer
            ended = self._ended()
            self.refused = (ended.code, ended.params)
        if self.refused is not None:
            self.close()

    def chunks(self, *, tee: Callable[[bytes], None] | None = None) -> Iterator[list[tuple[int, list]]]:
        """The rows, a frame at a time; `tee` gets each frame's bytes as it came (a kept copy)."""
        try:
            received = 0
            while received < self.count:
                data = self._next()
                value = self._decoded(data)
                if value.__class__ is tuple:  # the child refused a row it could not send
                    raise Ended(value[1], value[2])
                if value.__class__ is not list:
                    raise self._ended()
                # Dates stay tagged: the parser makes each distinct one a date (frames.plain).
                rows = value
                if tee is not None:
                    tee(data)
                received += len(rows)
                yield rows
            if received != self.count:
                raise self._ended()
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._watchdog.cancel()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._pump.join()
        self.process.stdout.close()
        self.errors.close()
        _READERS.release()

    def _decoded(self, data: bytes):
        """The value of a frame; one that does not decode is a broken answer (Ended)."""
        try:
            return frames.value_of(data)
        except _BROKEN:
            raise self._ended() from None

    def _next(self) -> bytes:
        data = self._frames.get()
        if data is _ENDED:
            self._frames.put(_ENDED)  # for any later call
            raise self._ended()
        return data

    def _drain(self) -> None:
        try:
            for data in frames.read_frames(self.process.stdout):
                self._frames.put(data)
        except (OSError, EOFError, ValueError):
            pass  # a broken answer: _ended() tells why from the child's exit
        self._frames.put(_ENDED)

    def _time_out(self) -> None:
        self._timed_out.set()
        self.process.kill()

    def _ended(self) -> Ended:
        """Why the answer ended early: the time ran out, or the child was killed, aborted by a failed
        allocation (Rust) or out of memory in Python."""
        returncode = self.process.wait()
        if self._timed_out.is_set() or returncode == -signal.SIGXCPU:
            return Ended("timeout", {"seconds": self.limits.seconds})
        self.errors.seek(0, os.SEEK_END)
        self.errors.seek(max(0, self.errors.tell() - 2000))
        detail = self.errors.read().decode(errors="replace")
        return Ended("memory", {"limit": self.limits.memory_bytes, "detail": detail})


# --- the child -------------------------------------------------------------------------------------


def child_main() -> None:
    """Entry point of the child: a request on stdin (pickled), frames on stdout."""
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
        out.write(
            frames.frame(("rows", frames.tagged_rows([(0, outcome.header)])[0][1], outcome.formulas, len(outcome.rows)))
        )
        out.flush()
        rows = outcome.rows
        for start in range(0, len(rows), frames.CHUNK):
            out.write(frames.frame(frames.tagged_rows(rows[start : start + frames.CHUNK])))
            out.flush()  # the parent checks these rows while the next are written
    except Refused as refusal:
        out.write(frames.frame(("refused", refusal.code, _plain(refusal.params))))
    except MemoryError:
        out.write(frames.frame(("refused", "memory", {"limit": limits.memory_bytes})))
    except frames.Unknown:
        out.write(frames.frame(("refused", "corrupt", {})))
    out.close()
    # Without waiting for a calamine thread still at work on a refused file.
    os._exit(0)


def _plain(params: dict) -> dict:
    """A refusal's parameters as marshal takes them (numbers, texts, lists of texts)."""
    return {
        key: value
        if isinstance(value, (int, str))
        else [str(v) for v in value]
        if isinstance(value, (list, tuple))
        else str(value)
        for key, value in params.items()
    }


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
