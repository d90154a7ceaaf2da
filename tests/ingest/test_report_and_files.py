import gzip
import io
from pathlib import Path

import pytest

from marquee.ingest.files import read_lines
from marquee.ingest.records import IngestError
from marquee.ingest.report import SHOWN_PROBLEMS, Report


def lines(path: Path) -> list[tuple[int, str]]:
    return list(read_lines(path, progress=False))


def test_reads_plain_and_gzipped_files_alike(tmp_path: Path) -> None:
    content = 'a\tb\r\n"quoted\tx\ny\rz'  # CRLF, a quote as data, no final newline
    plain = tmp_path / "t.tsv"
    plain.write_text(content, encoding="utf-8", newline="")
    zipped = tmp_path / "t.tsv.gz"
    zipped.write_bytes(gzip.compress(content.encode()))
    expected = [(1, "a\tb"), (2, '"quoted\tx'), (3, "y\rz")]
    assert lines(plain) == expected
    assert lines(zipped) == expected


def test_truncated_gzip_names_the_file_and_stops(tmp_path: Path) -> None:
    data = gzip.compress(("row\t1\n" * 50_000).encode())
    broken = tmp_path / "title.basics.tsv.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError) as caught:
        lines(broken)
    assert caught.value.source == str(broken)
    assert "truncated" in caught.value.reason
    assert caught.value.line is not None and caught.value.line > 1


@pytest.mark.parametrize(
    ("payload", "reason"),
    [(b"ok\n\xff\xfe\x00garbage\n", "UTF-8"), (b"ok\nab\x00cd\n", "binary")],
)
def test_binary_garbage_is_reported_with_its_line(
    tmp_path: Path, payload: bytes, reason: str
) -> None:
    path = tmp_path / "names.tsv"
    path.write_bytes(payload)
    with pytest.raises(IngestError) as caught:
        lines(path)
    assert reason in caught.value.reason
    assert caught.value.line == 2


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot open"):
        lines(tmp_path / "absent.tsv")


def test_progress_off_a_terminal_is_plain_log_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("x\n" * 10)
    log = io.StringIO()
    assert len(list(read_lines(path, stream=log))) == 10
    assert log.getvalue() == "t.tsv: 10 rows in " + log.getvalue().split(" in ")[1]
    assert "\r" not in log.getvalue()


def test_report_keeps_the_first_problems_and_counts_the_rest() -> None:
    report = Report()
    report.read("titles", 100)
    report.created("titles", 60)
    report.unchanged("titles", 10)
    report.skip("titles", "not a movie", 5)
    for line in range(1, 31):
        report.bad_row("titles", "runtime is not a number", source="title.basics.tsv", line=line)
    report.dangling_reference("credits for absent names", 7)
    assert len(report.problems) == SHOWN_PROBLEMS
    assert report.problem_count == 30
    table = report.table()
    assert "titles" in table and "100" in table and "60" in table
    assert "titles skipped, bad row: 30" in table
    assert "titles skipped, not a movie: 5" in table
    assert "dangling references, credits for absent names: 7" in table
    assert "title.basics.tsv:1: runtime is not a number" in table
    assert "… and 10 more" in table
    assert report.changed_anything()
    assert not Report().changed_anything()


def test_a_report_from_another_process_adds_its_counts_after_ours() -> None:
    """What a reading process counted joins the import's report: counts add up, its problems
    follow ours up to the shown limit, every problem is counted."""
    report, other = Report(), Report()
    report.read("credits", 10)
    report.skip("credits", "duplicate", 2)
    for line in range(1, 16):
        report.bad_row("credits", "bad name id", source="title.principals.tsv", line=line)
    other.read("credits", 5)
    other.read("people", 3)
    other.skip("credits", "duplicate", 1)
    other.dangling_reference("credits of titles absent from title.basics", 4)
    for line in range(1, 11):
        other.bad_row("people", "no name", source="name.basics.tsv", line=line)
    report.merge(other)
    assert report.tally("credits").read == 15
    assert report.tally("people").read == 3
    assert report.tally("credits").skipped == {"duplicate": 3, "bad row": 15}
    assert report.dangling == {"credits of titles absent from title.basics": 4}
    assert report.problem_count == 25
    assert [p.source for p in report.problems] == ["title.principals.tsv"] * 15 + [
        "name.basics.tsv"
    ] * (SHOWN_PROBLEMS - 15)
