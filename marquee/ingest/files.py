"""Reading dataset files: gzipped or plain, line by line, with progress shown as it goes.

Every reader streams through ``read_lines``, so no dump is ever held in memory, and a file that is
structurally broken (truncated gzip, not UTF-8, binary data) stops the import with one line naming
the file and line.
"""

from __future__ import annotations

import csv
import gzip
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from io import BufferedReader
from pathlib import Path
from typing import IO, Never

from tqdm import tqdm

from marquee.ingest.records import IngestError

GZIP_MAGIC = b"\x1f\x8b"
CHUNK_BYTES = 1 << 18  # read and decoded at a time; lines are split in C
LOG_EVERY = 10.0  # seconds between log lines when not on a terminal


class Progress:
    """A bar with rows/s and ETA on a terminal; a plain log line every few seconds otherwise
    (cron, systemd and CI logs should not fill with carriage returns).

    ``total`` is in bytes of a file read, or, with ``noun`` given, the number of things done
    (films scored, documents written): then the bar counts those."""

    def __init__(
        self, label: str, total: int, stream: IO[str] | None = None, *, noun: str = "rows"
    ) -> None:
        self.label = label
        self.total = total
        self.noun = noun
        self.stream = stream or sys.stderr
        self.rows = 0
        self.started = self.last_log = time.monotonic()
        self.bar: tqdm[Never] | None = None
        if self.stream.isatty():
            self.bar = tqdm(
                total=total,
                desc=label,
                unit="B" if noun == "rows" else f" {noun}",
                unit_scale=noun == "rows",
                file=self.stream,
                leave=True,
                dynamic_ncols=True,
            )

    def update(self, rows: int, position: int) -> None:
        self.rows = rows
        now = time.monotonic()
        rate = rows / max(now - self.started, 1e-9)
        if self.bar is not None:
            self.bar.update(position - self.bar.n)
            if self.noun == "rows":  # the bar counts bytes; counted things show themselves
                self.bar.set_postfix_str(f"{rows:,} rows, {rate:,.0f} rows/s", refresh=False)
        elif now - self.last_log >= LOG_EVERY:
            self.last_log = now
            self.stream.write(f"{self.label}: {self._status(position, rate)}\n")
            self.stream.flush()

    def _status(self, position: int, rate: float) -> str:
        status = f"{self.rows:,} {self.noun}, {rate:,.0f} {self.noun}/s"
        if self.total and position:
            done = position / self.total
            elapsed = time.monotonic() - self.started
            eta = elapsed * (1 - done) / done if done else 0
            status += f", {done:.0%}, about {int(eta) // 60}:{int(eta) % 60:02d} left"
        return status

    def close(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.bar is not None:
            self.bar.update(self.total - self.bar.n)
            self.bar.close()
        else:
            self.stream.write(f"{self.label}: {self.rows:,} {self.noun} in {elapsed:.1f} s\n")
            self.stream.flush()


def step_progress(step: str, noun: str) -> Callable[[str, int, int], None]:
    """``progress(kind, done, total)`` for a long step that is not a file (the search index, the
    related movies): a ``Progress`` per part of the step, in ``noun``s."""
    bars: dict[str, Progress] = {}

    def show(kind: str, done: int, total: int) -> None:
        if kind not in bars:
            bars[kind] = Progress(f"{step}, {kind}", total, noun=noun)
        bar = bars[kind]
        bar.update(done, done)
        if done == total:
            bar.close()

    return show


def read_lines(
    path: Path, *, progress: bool = True, stream: IO[str] | None = None
) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) with the line ending removed (LF or CRLF; the last line may
    lack one). Lines are split on LF only, so a stray CR inside a field stays data."""
    source = str(path)
    try:
        raw = path.open("rb")
    except OSError as error:
        raise IngestError(f"cannot open: {error.strerror}", source=source) from None
    with raw:
        binary: BufferedReader | gzip.GzipFile = raw
        if raw.read(2) == GZIP_MAGIC:
            binary = gzip.GzipFile(fileobj=raw, mode="rb")
        raw.seek(0)
        size = path.stat().st_size
        bar = Progress(path.name, size, stream) if progress else None
        number = 0
        try:
            for lines in _blocks(binary, source):
                for line in lines:
                    number += 1
                    yield number, line
                if bar is not None:
                    bar.update(number, raw.tell())
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            reason = "truncated gzip file" if isinstance(error, EOFError) else f"{error}"
            raise IngestError(reason, source=source, line=number + 1) from None
        except _BadText as error:
            raise IngestError(error.reason, source=source, line=number + error.line) from None
        finally:
            if bar is not None:
                bar.update(number, raw.tell() if not raw.closed else size)
                bar.close()


CSV_FIELD_LIMIT = 50_000_000  # TMDB's credits column holds a whole cast as JSON text


def read_csv(
    path: Path,
    header: list[str] | None = None,
    *,
    progress: bool = True,
    stream: IO[str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number where the row starts, fields) for each row after the header.

    Quoted fields may span lines (TMDB's overviews do), so numbers count lines, not rows. With
    ``header``, the file must start with exactly those columns (possibly more after them):
    anything else is the wrong file and stops the import on line 1.
    """
    csv.field_size_limit(CSV_FIELD_LIMIT)
    source = str(path)
    text = (line + "\n" for _, line in read_lines(path, progress=progress, stream=stream))
    rows = csv.reader(text)
    start = 1
    try:
        for row in rows:
            if start == 1 and header is not None:
                names = [name.lstrip("\ufeff").strip() for name in row]
                if names[: len(header)] != header:
                    raise IngestError(
                        f"wrong header: expected {','.join(header)}, found {','.join(names)[:200]}",
                        source=source,
                        line=1,
                    )
            else:
                yield start, row
            start = rows.line_num + 1
    except csv.Error as error:
        raise IngestError(f"broken CSV: {error}", source=source, line=start) from None


class _BadText(Exception):
    def __init__(self, reason: str, line: int) -> None:
        self.reason, self.line = reason, line


def _blocks(binary: BufferedReader | gzip.GzipFile, source: str) -> Iterator[list[str]]:
    """The file's lines in blocks, decoded a block at a time (per line, decoding costs more than
    everything else an importer does with most rows). Every complete line before a truncation
    comes out before the error, so the error names the right line; bad text raises _BadText
    with its line within the block."""
    rest = b""
    while chunk := binary.read1(CHUNK_BYTES):
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        if cut:
            yield _decode(data[:cut])[:-1]  # the text ends with LF: drop the empty tail
    if rest:
        yield _decode(rest)


def _decode(block: bytes) -> list[str]:
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _BadText("not UTF-8 text", block.count(b"\n", 0, error.start) + 1) from None
    if "\x00" in text:
        raise _BadText("binary data, not text", text.count("\n", 0, text.index("\x00")) + 1)
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # a CR elsewhere stays data
        if text.endswith("\r"):
            text = text[:-1]  # CRLF split between blocks never happens: blocks end at LF
    return text.split("\n")
