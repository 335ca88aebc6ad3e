"""`haven serve` started as a user starts it (a subprocess on a free 127.0.0.1 port), and which
of its worker processes answered a request.

With several workers, uvicorn's worker processes share one listening socket and the kernel hands
each new connection to one of them. A response's worker is the process that holds the server
end of the response's connection (read from the process table with psutil), so a test can see
every worker answer without the server telling clients anything about its processes.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil

START_SECONDS = 600  # each worker loads the model; on a busy two-core machine that takes a while


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def workers(self) -> list[psutil.Process]:
        """The started process's descendants that listen on the port: uvicorn's workers, or the
        one `haven serve` under `make run` (the supervisor of several workers listens too, but
        never accepts a connection)."""
        found = []
        for proc in self._descendants():
            with contextlib.suppress(psutil.Error):
                if any(
                    c.status == psutil.CONN_LISTEN and c.laddr.port == self.port
                    for c in proc.net_connections(kind="tcp")
                ):
                    found.append(proc)
        return found

    def worker_of(self, response: httpx.Response) -> int:
        """The pid of the process that answered, while the response's connection is open."""
        client_port = response.extensions["network_stream"].get_extra_info("client_addr")[1]
        for proc in [psutil.Process(self.process.pid), *self._descendants()]:
            with contextlib.suppress(psutil.Error):
                for c in proc.net_connections(kind="tcp"):
                    if c.laddr.port == self.port and c.raddr and c.raddr.port == client_port:
                        return int(proc.pid)
        raise AssertionError(f"no server process holds the connection from port {client_port}")

    def send(self, method: str, path: str, **kwargs: Any) -> tuple[int, httpx.Response]:
        """One request on a new connection: (the answering worker's pid, the response)."""
        with httpx.Client(base_url=self.base, timeout=120) as client:
            response = client.request(method, path, **kwargs)
            return self.worker_of(response), response

    def from_each_worker(
        self, method: str, path: str, workers: int, attempts: int = 400, **kwargs: Any
    ) -> dict[int, httpx.Response]:
        """The same request on new connections until `workers` different processes answered
        (the kernel picks the worker for each connection). Only for requests that change
        nothing, as some are sent more than once."""
        answers: dict[int, httpx.Response] = {}
        for _ in range(attempts):
            pid, response = self.send(method, path, **kwargs)
            answers.setdefault(pid, response)
            if len(answers) == workers:
                return answers
        raise AssertionError(f"only {len(answers)} of {workers} workers answered {path}")

    def wait_ready(self, workers: int = 1, seconds: float = START_SECONDS) -> dict[int, str]:
        """Wait until every worker answers /ready with 200; their build ids by pid."""
        deadline = time.monotonic() + seconds
        builds: dict[int, str] = {}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the server exited ({self.process.returncode}):\n" + self.log_tail()
                )
            with contextlib.suppress(httpx.TransportError):
                pid, response = self.send("GET", "/ready")
                if response.status_code == 200:
                    builds[pid] = response.json()["build_id"]
                    if len(builds) == workers:
                        return builds
                    continue  # another connection may reach another worker
            time.sleep(0.5)
        raise AssertionError(
            f"{len(builds)} of {workers} workers ready in {seconds:.0f} s:\n" + self.log_tail()
        )

    def stop(self, find: Callable[[psutil.Process], bool] | None = None) -> int:
        """SIGTERM, as a service manager stops it, to the server process (or to the descendant
        `find` picks, e.g. the `haven serve` under `make run`); the started process's exit code."""
        target = self.process.pid
        if find is not None:
            target = next(p.pid for p in self._descendants() if find(p))
        psutil.Process(target).send_signal(signal.SIGTERM)
        return self.process.wait(timeout=120)

    def kill(self) -> None:
        """Last resort after a failure: the whole tree, so nothing outlives the test."""
        for proc in [*self._descendants(), psutil.Process(self.process.pid)]:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=30)

    def _descendants(self) -> list[psutil.Process]:
        try:
            return list(psutil.Process(self.process.pid).children(recursive=True))
        except psutil.NoSuchProcess:
            return []


@contextlib.contextmanager
def serving(command: list[str], cwd: Path, env: dict[str, str], port: int) -> Iterator[Served]:
    """Start `command` (which serves on `port`); kill whatever is left of it at the end."""
    log = cwd / f"serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    served = Served(process, port, log)
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.kill()
