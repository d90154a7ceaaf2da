"""IMDb's non-commercial datasets (https://datasets.imdbws.com/): a reader for the TSV files and a
set-based loader, because the per-record loader cannot keep up with millions of rows."""
