#!/usr/bin/env bash
# Build and serve the site locally: http://127.0.0.1:8000
#
#   bash scripts/serve.sh [minutebook serve options...]
#
# Creates .venv on first use and installs the project into it (pip install -e .); later runs
# skip the install while pyproject.toml is unchanged. Runs from the repository root, where
# site_config.yaml and content/ live. Arguments are passed on to `minutebook serve`.
set -euo pipefail
# shellcheck source=scripts/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
cd "$MB_ROOT"

mb_lock
mb_ensure_venv ""
mb_unlock

exec "$MB_VENV/bin/minutebook" serve "$@"
