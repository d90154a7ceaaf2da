from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests that make hundreds of members use a fast hash.
    tests/members/test_accounts.py checks that the site itself uses Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_catalog(db: None) -> None:
    """The real demo catalog, loaded through the import path, with related movies built."""
    from django.core.management import call_command

    call_command("demo", verbosity=0)
