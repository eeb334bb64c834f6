"""Build the site in this folder: `python3 build.py` builds, `python3 build.py serve` previews.

A thin wrapper over the `minutebook` command, for people who expect a build.py. It uses the
project's .venv when the interpreter running it lacks Minutebook's packages.
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "src"))

try:
    from minutebook.cli import run
except ImportError:
    venv_python = HERE / ".venv" / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv_python.parent.parent.resolve():
        os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
    sys.exit("Minutebook's packages are not installed: run `bash scripts/serve.sh` once, then try again.")

if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        args = ["build", *args]
    run(args)
