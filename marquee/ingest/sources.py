"""The sources ``marquee import`` knows, by name. Each later importer adds its reader here."""

from marquee.ingest.loader import Reader
from marquee.ingest.marquee import reader as marquee_reader

READERS: dict[str, Reader] = {
    "marquee": marquee_reader.read,
}
