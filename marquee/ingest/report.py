"""What an import tells its operator: rows read, created, updated, unchanged and skipped (by
reason) per kind of record, the first bad rows with file and line, and references to records
the files do not contain."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass
class Tally:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    removed: int = 0  # rows a newer dump no longer has


@dataclass
class Report:
    """Filled in by readers and loaders as they go; printed once at the end."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    dangling: Counter[str] = field(default_factory=Counter)
    queued: int = 0
    movie_ids: list[int] = field(default_factory=list)

    def tally(self, kind: str) -> Tally:
        if kind not in self.tallies:
            self.tallies[kind] = Tally()
        return self.tallies[kind]

    def read(self, kind: str, count: int = 1) -> None:
        self.tally(kind).read += count

    def created(self, kind: str, count: int = 1) -> None:
        self.tally(kind).created += count

    def updated(self, kind: str, count: int = 1) -> None:
        self.tally(kind).updated += count

    def unchanged(self, kind: str, count: int = 1) -> None:
        self.tally(kind).unchanged += count

    def removed(self, kind: str, count: int = 1) -> None:
        """Rows deleted because the source no longer has them (a credit dropped from a film)."""
        self.tally(kind).removed += count

    def skip(self, kind: str, reason: str, count: int = 1) -> None:
        """A row left out on purpose (out of scope, a duplicate): counted, not an error."""
        self.tally(kind).skipped[reason] += count

    def bad_row(self, kind: str, reason: str, *, source: str, line: int | None) -> None:
        """A row that could not be read. Counted under "bad row"; the first few are kept whole
        so the operator can find and fix them."""
        self.tally(kind).skipped["bad row"] += 1
        self.problem_count += 1
        if len(self.problems) < SHOWN_PROBLEMS:
            self.problems.append(Problem(source, line, reason))

    def merge(self, other: Report) -> None:
        """Add another report's counts and first problems (a file read by another process)."""
        for kind, tally in other.tallies.items():
            mine = self.tally(kind)
            mine.read += tally.read
            mine.created += tally.created
            mine.updated += tally.updated
            mine.unchanged += tally.unchanged
            mine.removed += tally.removed
            mine.skipped.update(tally.skipped)
        room = SHOWN_PROBLEMS - len(self.problems)
        self.problems.extend(other.problems[: max(room, 0)])
        self.problem_count += other.problem_count
        self.dangling.update(other.dangling)
        self.queued += other.queued
        self.movie_ids.extend(other.movie_ids)

    def dangling_reference(self, what: str, count: int = 1) -> None:
        """A reference to a record the files do not contain, such as a credit for a name
        missing from name.basics. The rest of the row is imported."""
        self.dangling[what] += count

    def table(self) -> str:
        """The closing summary, as a plain-text table."""
        header = ("", "read", "created", "updated", "unchanged", "skipped")
        rows = [
            (
                kind,
                f"{t.read:,}",
                f"{t.created:,}",
                f"{t.updated:,}",
                f"{t.unchanged:,}",
                f"{sum(t.skipped.values()):,}",
            )
            for kind, t in self.tallies.items()
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        lines = [
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
            for row in [header, *rows]
        ]
        for kind, t in self.tallies.items():
            if t.removed:
                lines.append(f"  {kind} removed, no longer in the source: {t.removed:,}")
            for reason, count in sorted(t.skipped.items()):
                lines.append(f"  {kind} skipped, {reason}: {count:,}")
        for what, count in sorted(self.dangling.items()):
            lines.append(f"  dangling references, {what}: {count:,}")
        if self.queued:
            lines.append(f"  ambiguous matches left for an editor: {self.queued:,}")
        if self.problems:
            more = self.problem_count - len(self.problems)
            lines.append(f"Bad rows (first {len(self.problems)} of {self.problem_count:,}):")
            lines += [f"  {problem}" for problem in self.problems]
            if more:
                lines.append(f"  … and {more:,} more")
        return "\n".join(lines)

    def changed_anything(self) -> bool:
        return any(t.created or t.updated or t.removed for t in self.tallies.values())
