#!/usr/bin/env python
"""Django's command-line utility for the vacancies test project."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # Make the package importable from a checkout without installing it.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "testproject.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
