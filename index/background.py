"""The configured embedder's index, built by a child process while a starter build serves.

`haven serve` starts one `haven ingest` at low CPU priority when the index in use is a starter
build (index/starter.py). The child builds aside and publishes atomically like any ingest, so
the workers swap the new build in on their next request; if it is stopped or fails, the
starter build stays in use. A marker file beside the builds names the child while it runs, so
the workers can say so (`/ready`, `haven doctor`) and refuse uploads instead of queueing them
behind a build of several minutes.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.settings import Settings
from index.starter import configured_backend

log = logging.getLogger("haven.index")

MARKER = ".background-build"
NICENESS = 10  # below the server's workers: answering comes first
STOP_GRACE_SECONDS = 10.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class BackgroundStatus:
    pid: int
    backend: str
    started_at: str
    log: str


def log_path(settings: Settings) -> Path:
    return settings.data_dir / "logs" / "background-index.log"


def running(index_dir: Path) -> BackgroundStatus | None:
    """The background build in progress, if any (a marker left by a killed server is ignored)."""
    try:
        raw = json.loads((index_dir / MARKER).read_text(encoding="utf-8"))
        status = BackgroundStatus(
            int(raw["pid"]), str(raw["backend"]), str(raw["started_at"]), str(raw["log"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return status if _alive(status.pid) else None


def _alive(pid: int) -> bool:
    """The marker's build still runs: its pid lives and, where /proc tells, is still an ingest
    (a pid reused by another program after a crash does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path(f"/proc/{pid}")
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z" and b"ingest" in (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return True  # no /proc: the pid's life is all we know


def _die_with_parent() -> None:
    """In the child, before it runs: ask Linux to SIGTERM it when the server dies. uvicorn ends
    itself with the signal it was stopped by, so the server's own clean-up may never run."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def ingest_command() -> list[str]:
    """`haven ingest` of the default folders (corpus and uploads) with this interpreter."""
    return [sys.executable, "-m", "cli.main", "ingest", "--quiet"]


class BackgroundBuild:
    """One child build, started once and stopped with the server."""

    def __init__(self, settings: Settings, command: Sequence[str] | None = None) -> None:
        self.settings = settings
        self.command = list(command or ingest_command())
        self.process: subprocess.Popen[bytes] | None = None
        self._watcher: threading.Thread | None = None

    @property
    def marker(self) -> Path:
        return self.settings.index_dir / MARKER

    def start(self) -> None:
        path = log_path(self.settings)
        path.parent.mkdir(parents=True, exist_ok=True)
        output = path.open("ab")
        try:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, HAVEN_SERVER__WORKERS="1"),  # one process: all cores
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        finally:
            output.close()  # the child holds its own copy
        with contextlib.suppress(OSError):  # some containers forbid it; the build still runs
            os.setpriority(os.PRIO_PROCESS, self.process.pid, NICENESS)
        status = BackgroundStatus(
            self.process.pid,
            configured_backend(self.settings),
            datetime.now(UTC).isoformat(timespec="seconds"),
            str(path),
        )
        self.settings.index_dir.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(json.dumps(asdict(status)), encoding="utf-8")
        log.info(
            "index: building the %s index in the background (pid %d, log %s); the starter "
            "index answers meanwhile",
            status.backend,
            status.pid,
            path,
        )
        self._watcher = threading.Thread(target=self._watch, name="background-index", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        assert self.process is not None
        code = self.process.wait()
        self._clear_marker()
        if code == 0:
            log.info("index: the background build is published; workers switch to it")
        else:
            log.warning(
                "index: the background build stopped (exit %d); the starter index stays in "
                "use. See %s",
                code,
                log_path(self.settings),
            )

    def _clear_marker(self) -> None:
        assert self.process is not None
        with contextlib.suppress(OSError, ValueError):
            if json.loads(self.marker.read_text(encoding="utf-8")).get("pid") == self.process.pid:
                self.marker.unlink()

    def stop(self) -> None:
        """Stop the child with the server: its partial build is discarded, the index in use
        stays, and the next `haven serve` starts again."""
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._watcher is not None:
            self._watcher.join(STOP_GRACE_SECONDS)
