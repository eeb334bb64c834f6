"""Build the site in this folder: `python3 build.py` builds, `python3 build.py serve` previews.

A thin wrapper over the `minutebook` command, for people who expect a build.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from minutebook.cli import main  # noqa: E402

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        args = ["build", *args]
    sys.exit(main(args))
