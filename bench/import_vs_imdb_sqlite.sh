#!/usr/bin/env bash
# `marquee import imdb` against imdb-sqlite (PyPI) on the same synthetic IMDb files, one after
# the other in the same run: wall time and peak RSS of each, measured by /usr/bin/time -v.
#
#   bench/import_vs_imdb_sqlite.sh            # full scale: 1M titles, 6M principals…
#   SCALE=0.1 bench/import_vs_imdb_sqlite.sh  # a tenth, for a quick look
#   RELATED=0 bench/import_vs_imdb_sqlite.sh  # without timing the related-movies rebuild
#   DUMP=path/to/dump bench/import_vs_imdb_sqlite.sh  # files generated earlier, used as they are
#   SKIP_IMDB_SQLITE=1 bench/import_vs_imdb_sqlite.sh  # Marquee alone, while working on it
#
# The files come from bench/gen_imdb.py with --duplicates 0: imdb-sqlite stops at the first
# repeated key, which real dumps do contain (Marquee counts and skips them). imdb-sqlite reads
# its files from its download cache (--cache-dir) and downloads only what is missing there;
# --only leaves out title.episode, which Marquee ignores. It loads everything as it is, without
# title.crew, then indexes. Marquee's figure runs until its pages can be served: the import's
# transaction committed. Related movies are rebuilt after that (timed on their own below).
# Both run under `nice`: the machine may be shared.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALE=${SCALE:-1}
DUMP=${DUMP:-var/imdb-bench-$SCALE}
OUT=var/bench-imdb-$SCALE
VENV=${VENV:-var/imdb-sqlite-venv}
export PYTHONDONTWRITEBYTECODE=  # let both tools cache their bytecode, as installed tools do

if [ ! -x /usr/bin/time ]; then
    echo "needs GNU time: apt-get install time" >&2
    exit 1
fi
if [ ! -f "$DUMP/title.akas.tsv.gz" ]; then
    uv run --frozen python bench/gen_imdb.py "$DUMP" --scale "$SCALE" --duplicates 0
fi
if [ ! -x "$VENV/bin/imdb-sqlite" ]; then
    uv venv --quiet "$VENV"
    uv pip install --quiet --python "$VENV/bin/python" imdb-sqlite
fi

rm -rf "$OUT"
mkdir -p "$OUT"
measure() {  # name command…: runs it, keeps its output, prints wall time and peak RSS
    local name=$1
    shift
    nice /usr/bin/time -v -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1
    # The gigabyte a tool leaves for the kernel to write out would otherwise be written while
    # the next one runs, and slow it down.
    sync
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$OUT/$name.time")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/$name.time")
    printf '%-28s wall %9s   peak RSS %6d MiB\n' "$name" "$wall" $((rss / 1024))
}

echo "IMDb files: $DUMP ($(du -sh "$DUMP" | cut -f1) gzipped), scale $SCALE"
if [ "${SKIP_IMDB_SQLITE:-0}" = 0 ]; then
    measure imdb-sqlite "$VENV/bin/imdb-sqlite" --db "$OUT/imdb-sqlite.db" --cache-dir "$DUMP" \
        --only people,titles,akas,crew,ratings
fi

export DATABASE_URL="sqlite:///$PWD/$OUT/marquee.sqlite3"
uv run --frozen marquee migrate -v0  # the empty schema, as after installing Marquee
measure "marquee import imdb" uv run --frozen marquee import imdb "$DUMP" --no-related
if [ "${RELATED:-1}" != 0 ]; then
    measure "marquee related rebuild" uv run --frozen marquee related rebuild
fi
# Pages show the new catalog from the commit; SQLite's checkpoint runs after it.
sed -n 's/^Committed \([0-9.]*\) s after.*checkpoint took \([0-9.]*\) s more./marquee: committed after \1 s (from the import'"'"'s start), then checkpoint \2 s/p' \
    "$OUT/marquee import imdb.log"
grep -E '^(movies|credits|people) ' "$OUT/marquee import imdb.log" || true
