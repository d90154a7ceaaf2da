"""Reading the big IMDb files in worker processes while the main process writes to the database.

Parsing six million lines is single-threaded Python, and so are SQLite's writes: on two cores
they can overlap. A worker is a fork of the importer, so it starts with everything read so far
(the title and name flags, the films' ids) without copying anything; it parses one file into
rows ready for staging and sends them through a pipe in batches, then sends back what it learnt
on the way: its share of the report, and the name flags it set. The pipe holds about one batch,
so memory stays bounded whatever the file size.

A worker never uses the database connection it inherited: it closes its copy of the socket
(the server would otherwise keep a killed import's session, and its locks, for as long as the
worker lives) and ends with ``os._exit`` (as multiprocessing does for a fork), so nothing is
sent to the server nor checkpointed into SQLite's files from the child. It holds no other
worker's pipe, and on Linux it is killed with its parent: an import killed at any moment
leaves no process behind.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from marquee.forks import detach
from marquee.ingest.imdb.reader import IdFlags
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report

BATCH_ROWS = 20_000

Row = Sequence[Any]
# What a worker runs: given its own report, the rows to stage.
Produce = Callable[[Report], Iterator[Row]]


# Receiving ends of the pipes of running workers: a later worker closes its copies.
_open_receivers: set[Connection] = set()


def _detach(parent: int) -> None:
    """In a new worker: die with the parent, and let go of the parent's pipes and sockets."""
    detach(parent)
    for receiver in _open_receivers:
        receiver.close()


def _work(send: Connection, produce: Produce, flags: IdFlags | None, parent: int) -> None:
    _detach(parent)
    report = Report()
    try:
        batch: list[Row] = []
        for row in produce(report):
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                send.send(("rows", batch))
                batch = []
        if batch:
            send.send(("rows", batch))
        flags_state = None if flags is None else (flags.array, flags.overflow)
        send.send(("done", report, flags_state))
    except IngestError as error:
        send.send(("error", error.reason, error.source, error.line))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the importer is gone
    except BaseException:  # anything else: the importer shows it whole
        send.send(("crash", traceback.format_exc()))
    finally:
        send.close()


class Worker:
    """One file parsed in a forked process. ``flags`` are name flags the
    worker sets and the importer needs back (added to the importer's, so several workers can
    set them); its counts join ``report`` on ``merge_report``."""

    def __init__(self, produce: Produce, report: Report, flags: IdFlags | None = None) -> None:
        self.report = report
        self.flags = flags
        self.done = False
        self.child_report: Report | None = None
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        _open_receivers.add(self.receive)  # closed in this worker, and in later ones
        self.process = context.Process(
            target=_work, args=(send, produce, flags, os.getpid()), daemon=True
        )
        self.process.start()
        send.close()  # the child's end: EOF here when the child goes

    def next(self) -> list[Row] | None:
        """The next batch of rows; None at the end."""
        try:
            message = self.receive.recv()
        except EOFError:
            self.process.join()
            raise IngestError(
                f"a reading process stopped unexpectedly (exit status {self.process.exitcode})"
            ) from None
        kind = message[0]
        if kind == "rows":
            return message[1]
        self.finish()
        if kind == "done":
            _, self.child_report, flags_state = message
            if self.flags is not None and flags_state is not None:
                self.flags.merge(*flags_state)  # several workers may set the same flags
            self.done = True
            return None
        if kind == "error":
            raise IngestError(message[1], source=message[2], line=message[3])
        raise RuntimeError(f"a reading process failed:\n{message[1]}")

    def merge_report(self) -> None:
        """Add what the worker counted to the import's report: called by the loader in the
        order the files are listed, whichever worker finished first."""
        if self.child_report is not None:
            self.report.merge(self.child_report)
            self.child_report = None

    def finish(self) -> None:
        _open_receivers.discard(self.receive)
        self.receive.close()
        self.process.join()

    def stop(self) -> None:
        """End the worker early (the import failed): it has nothing to say any more."""
        if self.process.is_alive():
            self.process.kill()
        self.finish()


def multiplex(workers: Sequence[Worker]) -> Iterator[tuple[int, list[Row]]]:
    """(worker's index, batch) from several workers, as batches arrive."""
    waiting = {worker.receive: index for index, worker in enumerate(workers)}
    while waiting:
        for ready in wait(list(waiting)):
            index = waiting[ready]  # type: ignore[index]
            batch = workers[index].next()
            if batch is None:  # the worker is done
                del waiting[ready]  # type: ignore[arg-type]
                continue
            yield index, batch
