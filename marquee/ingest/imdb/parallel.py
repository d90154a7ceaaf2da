"""Reading the big IMDb files in worker processes while the main process writes to the database.

Parsing six million lines is single-threaded Python, and so are SQLite's writes: on two cores
they can overlap. A worker is a fork of the importer, so it starts with everything read so far
(the title and name flags) without copying anything; it parses one file into
rows ready for staging and sends them through a pipe in batches, then sends back what it learnt
on the way: its share of the report, and the name flags it set. The pipe holds about one batch,
so memory stays bounded whatever the file size.

On SQLite, when the import's transaction is the connection's own, a worker writes its rows
into an SQLite file of its own instead (``Scratch``), which the import attaches and copies from
with one INSERT … SELECT: turning rows into values for the database is then the worker's work,
on the other core, and a worker can read a whole file while the importer is busy merging
(through the pipe, it would wait for the importer after one batch).

A worker never uses the database connection it inherited: it closes its copy of the socket
(the server would otherwise keep a killed import's session, and its locks, for as long as the
worker lives) and ends with ``os._exit`` (as multiprocessing does for a fork), so nothing is
sent to the server nor checkpointed into SQLite's files from the child. It holds no other
worker's pipe, and on Linux it is killed with its parent: an import killed at any moment
leaves no process behind.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import shutil
import sqlite3
import tempfile
import traceback
from collections.abc import Callable, Generator, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from marquee.forks import detach
from marquee.ingest.imdb.reader import IdFlags
from marquee.ingest.records import IngestError
from marquee.ingest.report import Report

BATCH_ROWS = 20_000
ROWS_PER_INSERT = 64  # rows a statement writes to a scratch file (SQLite takes 32,766 values)
SCRATCH_CACHE_KIB = 32 * 1024

Row = Sequence[Any]
# What a worker runs: given its own report, the rows to stage. What the generator returns at
# its end comes back as the worker's ``result``.
Rows = Generator[Row, None, Any]
Produce = Callable[[Report], Rows]


# Receiving ends of the pipes of running workers: a later worker closes its copies.
_open_receivers: set[Connection] = set()


def _detach(parent: int) -> None:
    """In a new worker: die with the parent, and let go of the parent's pipes and sockets."""
    detach(parent)
    for receiver in _open_receivers:
        receiver.close()


class Scratch:
    """A worker's rows in a private SQLite file, as the table ``rows`` of an attached database.

    The import's connection attaches the file once the worker has written and closed it (a
    database may be attached in the middle of a transaction; attached before the worker is done,
    the import's next statement would read its schema and hold a lock until the commit, which
    the worker's own commit would wait for in vain). The file is unlinked then; its space is
    freed when the connection detaches it, after the commit. SQLite refuses to detach it
    sooner, so each import uses new names, and detaches what a failed one left attached. Files
    of an import killed before they were attached are removed by the next import."""

    PREFIX = "imdb_scratch_"
    DIRECTORY = "marquee-imdb-scratch-"
    _numbers = itertools.count()

    def __init__(self, columns: dict[str, str]) -> None:
        self.columns = columns
        self.alias = f"{self.PREFIX}{next(self._numbers)}"
        self.table = f"{self.alias}.rows"
        directory = self.directory()
        directory.mkdir(mode=0o700, exist_ok=True)
        self.path = directory / f"{self.alias}.sqlite3"
        self.path.touch()  # keeps the directory while the worker has yet to open it

    def open_for_writing(self) -> sqlite3.Connection:
        """In the worker: the file, with its table, ready for rows. No journal and no syncs:
        nothing in it outlives the import."""
        database = sqlite3.connect(self.path, isolation_level=None)
        database.execute("PRAGMA journal_mode = OFF")
        database.execute("PRAGMA synchronous = OFF")
        # The default 2 MB would write the growing table out a few pages at a time.
        database.execute(f"PRAGMA cache_size = -{SCRATCH_CACHE_KIB}")
        definition = ", ".join(f"{name} {kind}" for name, kind in self.columns.items())
        database.execute(f"CREATE TABLE rows ({definition})")
        database.execute("BEGIN")
        return database

    def attach(self) -> None:
        """In the importer, once the worker has written the file and closed it."""
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {self.alias}", [str(self.path)])
            # Attached files inherit the connection's memory map (settings.py): read once,
            # they would stay mapped, counted in the import's memory until the commit.
            cursor.execute(f"PRAGMA {self.alias}.mmap_size = 0")
        self.path.unlink()
        transaction.on_commit(self.detach)  # the unlinked file's space, back after the commit
        with contextlib.suppress(OSError):
            self.path.parent.rmdir()  # once the last file has gone

    def detach(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DETACH DATABASE {self.alias}")

    @classmethod
    def directory(cls, pid: int | None = None) -> Path:
        """Where this process's (or ``pid``'s) scratch files are."""
        return Path(tempfile.gettempdir(), f"{cls.DIRECTORY}{pid or os.getpid()}")

    @classmethod
    def remove_files(cls) -> None:
        """Those this process's workers wrote and the import never attached (it failed)."""
        shutil.rmtree(cls.directory(), ignore_errors=True)

    @classmethod
    def usable(cls) -> bool:
        """Whether rows can go through scratch files: on SQLite, in a transaction of the
        import's own (inside another, as in tests, attached files could not be detached until
        it ended, and SQLite allows ten)."""
        return connection.vendor == "sqlite" and len(connection.atomic_blocks) == 1

    @classmethod
    def clear_leftovers(cls) -> None:
        """Detach what earlier imports of this connection left attached (they failed), and
        remove the files of imports that were killed."""
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA database_list")
            for _, name, _ in cursor.fetchall():
                if name.startswith(cls.PREFIX):
                    cursor.execute(f"DETACH DATABASE {name}")
        for directory in Path(tempfile.gettempdir()).glob(f"{cls.DIRECTORY}*"):
            pid = directory.name.removeprefix(cls.DIRECTORY)
            if pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(directory, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def _work(
    send: Connection, produce: Produce, flags: IdFlags | None, parent: int, scratch: Scratch | None
) -> None:
    _detach(parent)
    report = Report()
    try:
        database = None
        if scratch is not None:
            database = scratch.open_for_writing()
            # Placeholders only: the values go as parameters.
            values = f"({', '.join('?' * len(scratch.columns))})"
            insert_one = f"INSERT INTO rows VALUES {values}"  # noqa: S608
            insert_many = f"INSERT INTO rows VALUES {', '.join([values] * ROWS_PER_INSERT)}"  # noqa: S608

        def write(batch: list[Row]) -> None:
            if database is None:
                send.send(("rows", batch))
                return
            # Many rows to a statement, which SQLite then runs once for them all: writing 1.77M
            # credits took 1.8 s of CPU so, 2.8 s a row at a time.
            whole = len(batch) - len(batch) % ROWS_PER_INSERT
            database.executemany(
                insert_many,
                (
                    tuple(itertools.chain.from_iterable(batch[start : start + ROWS_PER_INSERT]))
                    for start in range(0, whole, ROWS_PER_INSERT)
                ),
            )
            database.executemany(insert_one, batch[whole:])

        result: list[Any] = []

        def rows() -> Rows:
            result.append((yield from produce(report)))

        batch: list[Row] = []
        for row in rows():
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                write(batch)
                batch = []
        if batch:
            write(batch)
        if database is not None:
            database.execute("COMMIT")
            database.close()
        flags_state = None if flags is None else (flags.array, flags.overflow)
        send.send(("done", report, flags_state, result[0]))
    except IngestError as error:
        send.send(("error", error.reason, error.source, error.line))
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the importer is gone
    except BaseException:  # anything else: the importer shows it whole
        send.send(("crash", traceback.format_exc()))
    finally:
        send.close()


class Mailbox:
    """A value handed to a worker after it started, which it waits for: a fork has only what
    its parent had when it started. The importer puts it (title.ratings' worker gets the title
    flags), or another worker does at the end of its file (name.basics' worker gets the name
    flags from the workers of the two credit files).

    Each end of the pipe stays open only where it is used: the importer closes its receiving
    end once the receiving worker has started, and its sending end once a sending worker has.
    A value put after the receiver failed is then refused, not left waiting, and a receiver
    whose sender failed is told so instead of waiting for ever."""

    def __init__(self) -> None:
        self._receive, self._send = multiprocessing.Pipe(duplex=False)

    def take(self) -> Any:
        """In the receiving worker: the value, once it has been put."""
        try:
            return self._receive.recv()
        except EOFError:
            raise IngestError("a reading process stopped before handing over its work") from None

    def receiver_forked(self) -> None:
        self._receive.close()

    def sender_forked(self) -> None:
        self._send.close()

    def put(self, value: Any) -> None:
        """In the importer or a sending worker. A receiver that failed meanwhile says why when
        its rows are gathered."""
        with contextlib.suppress(BrokenPipeError):
            self._send.send(value)
        self._send.close()


class Worker:
    """One file parsed in a forked process. ``flags`` are name flags the
    worker sets and the importer needs back (added to the importer's, so several workers can
    set them); its counts join ``report`` on ``merge_report``. With ``scratch``, its rows go
    there rather than through the pipe. ``receives`` and ``sends``: the mailboxes ``produce``
    takes values from, and puts them into."""

    def __init__(
        self,
        produce: Produce,
        report: Report,
        flags: IdFlags | None = None,
        scratch: Scratch | None = None,
        *,
        receives: Sequence[Mailbox] = (),
        sends: Sequence[Mailbox] = (),
    ) -> None:
        self.report = report
        self.scratch = scratch
        self.flags = flags
        self.done = False
        self.result: Any = None  # what ``produce``'s generator returned, once done
        self.child_report: Report | None = None
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        _open_receivers.add(self.receive)  # closed in this worker, and in later ones
        self.process = context.Process(
            target=_work, args=(send, produce, flags, os.getpid(), scratch), daemon=True
        )
        self.process.start()
        send.close()  # the child's end: EOF here when the child goes
        for mailbox in receives:
            mailbox.receiver_forked()
        for mailbox in sends:
            mailbox.sender_forked()

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
            _, self.child_report, flags_state, self.result = message
            if self.flags is not None and flags_state is not None:
                self.flags.merge(*flags_state)  # several workers may set the same flags
            if self.scratch is not None:
                self.scratch.attach()
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
