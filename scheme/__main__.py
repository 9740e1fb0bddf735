"""``python -m scheme``: see scheme/cli.py."""

import sys

from scheme.cli import main

sys.exit(main())
