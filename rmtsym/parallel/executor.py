"""Where tasks run: in this process, on a local Dask cluster, or on a running Dask cluster.

One interface, :func:`task_runner`, for every caller that runs many independent tasks (parameter
sweeps, seeded Monte Carlo draws).  It yields a :class:`Runner` whose :meth:`Runner.map` returns
the results **in the order of the inputs**, whatever order the tasks finish in, and as soon as
each prefix is complete, so that a caller can fold results in a fixed order while later tasks
still run.

``client`` chooses the place:

* ``None``: a ``dask.distributed.LocalCluster`` on this machine (worker processes, one thread
  each, ``n_workers`` of them, by default ``os.cpu_count()``), closed afterwards (a script must
  start it under ``if __name__ == "__main__":``, since the workers are spawned); without Dask
  installed, a serial loop in this process, and a notice (once per process) of how to get
  parallelism: ``pip install "rmtsym[dask]"``;
* ``"serial"``: a loop in this process, Dask or not;
* a ``dask.distributed.Client``: its cluster (left open);
* a scheduler address such as ``"tcp://10.0.0.1:8786"``: a client connected to it for the
  duration (the cluster itself is left running).

Dask is optional and imported only when a cluster is asked for, so that ``import rmtsym`` stays
as fast as it was.  Progress goes to standard error (one line, redrawn), never to standard output,
so that the command line's ``--json`` and CSV output stay clean; the same line serves the serial
loop and the cluster.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ParameterError

__all__ = ["INSTALL_HINT", "SERIAL", "Runner", "dask_distributed", "task_runner"]

#: the ``client`` value that asks for a loop in this process
SERIAL = "serial"

#: how to get the parallel path
INSTALL_HINT = 'pip install "rmtsym[dask]"'

_log = logging.getLogger("rmtsym.parallel")
_told: set[str] = set()


def dask_distributed() -> Any:
    """The ``distributed`` module, or None when Dask's distributed scheduler is not installed.

    Examples
    --------
    >>> dask_distributed() is None or hasattr(dask_distributed(), "LocalCluster")
    True
    """
    try:
        import distributed
    except ImportError:
        return None
    return distributed


def _notify_serial(what: str) -> None:
    """Say once per process that ``what`` ran serially because Dask is missing."""
    if what in _told:
        return
    _told.add(what)
    _log.warning("Dask is not installed: the %s runs serially in this process. For parallel "
                 "workers (a local cluster or a running one): %s", what, INSTALL_HINT)


class _Progress:
    """``label: done/total`` on standard error, redrawn at most every 0.2 s and at the end."""

    def __init__(self, total: int, label: str, enabled: bool) -> None:
        self.total, self.label, self.enabled = total, label, enabled and total > 0
        self.done, self._last = 0, 0.0

    def step(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if self.done == self.total or now - self._last >= 0.2:
            self._last = now
            end = "\n" if self.done == self.total else ""
            sys.stderr.write(f"\r{self.label}: {self.done}/{self.total}{end}")
            sys.stderr.flush()


@dataclass(frozen=True)
class Runner:
    """Runs a function over inputs; ``client`` is the Dask client, or None for this process."""

    client: Any = None

    @property
    def parallel(self) -> bool:
        """True when the tasks run on Dask workers."""
        return self.client is not None

    def map(self, fn: Callable, items: Sequence, progress: bool = False,
            label: str = "tasks") -> Iterator:
        """``fn(item)`` for every item, yielded in the order of ``items``.

        On a cluster the results are collected as they complete and handed out in input order;
        a task's exception is raised when its turn comes (so the first failure in input order
        is the one raised, as in the serial loop), and the remaining tasks are cancelled.

        Examples
        --------
        >>> list(Runner().map(abs, [-2, 3, -4]))
        [2, 3, 4]
        """
        bar = _Progress(len(items), label, progress)
        if self.client is None:
            return _serial(fn, items, bar)
        return _ordered(self.client, fn, items, bar)


def _serial(fn: Callable, items: Iterable, bar: _Progress) -> Iterator:
    for item in items:
        out = fn(item)
        bar.step()
        yield out


def _ordered(client: Any, fn: Callable, items: Sequence, bar: _Progress) -> Iterator:
    distributed = dask_distributed()
    futures = client.map(fn, list(items), pure=False)
    index = {f.key: i for i, f in enumerate(futures)}
    ready: dict[int, Any] = {}
    turn = 0
    try:
        for fut in distributed.as_completed(futures):
            ready[index[fut.key]] = fut
            bar.step()
            while turn in ready:
                done = ready.pop(turn)
                out = done.result()
                done.release()
                yield out
                turn += 1
    finally:
        if turn < len(futures):
            client.cancel(futures[turn:])


def _workers(n_workers: int | None) -> int:
    if n_workers is None:
        return os.cpu_count() or 1
    if isinstance(n_workers, bool) or not isinstance(n_workers, int) or n_workers < 1:
        raise ParameterError("n_workers", n_workers, "a positive integer (or None: one per core)")
    return n_workers


@contextlib.contextmanager
def task_runner(client: Any = None, n_workers: int | None = None,
                what: str = "computation") -> Iterator[Runner]:
    """The :class:`Runner` for ``client`` (see the module's description), cleaned up on exit.

    ``n_workers`` sizes the local cluster started for ``client=None`` (default
    ``os.cpu_count()``; one thread per worker process); ``what`` names the job in the notice
    printed when Dask is missing.

    Examples
    --------
    >>> with task_runner("serial") as run:
    ...     list(run.map(lambda x: x * x, [1, 2, 3]))
    [1, 4, 9]
    """
    workers = _workers(n_workers)
    if isinstance(client, str) and client == SERIAL:
        yield Runner()
        return
    distributed = dask_distributed()
    if client is None and distributed is None:
        _notify_serial(what)
        yield Runner()
        return
    if distributed is None:
        raise ParameterError("client", client, f"None or {SERIAL!r} while Dask is not installed "
                             f"({INSTALL_HINT} for a cluster)")
    if client is None:
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as cluster, \
                distributed.Client(cluster) as local:
            yield Runner(local)
        return
    if isinstance(client, str):
        with distributed.Client(client) as remote:
            yield Runner(remote)
        return
    if not isinstance(client, distributed.Client):
        raise ParameterError("client", client, f"None, {SERIAL!r}, a dask.distributed.Client or "
                             "a scheduler address such as 'tcp://127.0.0.1:8786'")
    yield Runner(client)
