from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def demo_catalog(db: None) -> None:
    """The real demo catalog, loaded through the import path, with related movies built."""
    from django.core.management import call_command

    call_command("demo", verbosity=0)
