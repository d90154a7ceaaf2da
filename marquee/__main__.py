"""The `marquee` console script: Django's management commands under one name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marquee.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A misconfiguration deserves one readable line, not a traceback.
        sys.exit(f"marquee: configuration error: {error}")


if __name__ == "__main__":
    main()
