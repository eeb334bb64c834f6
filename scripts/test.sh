#!/usr/bin/env bash
# The one command that installs what the tests need and runs the whole suite:
#
#   bash scripts/test.sh                 # everything: lint, types, unit, golden, site, browser
#   bash scripts/test.sh tests/browser   # arguments go to pytest (lint and types still run)
#   bash scripts/test.sh -m "not browser"   # the fast suite only
#
# Steps, each skipped when already done:
#   1. apt-get: chromium, fonts-liberation, default-jre-headless, poppler-utils (needs root; CI runs as root)
#   2. .venv + pip install -e '.[test]'   (stamp in .venv: hash of pyproject.toml + extras)
#   3. npm ci --ignore-scripts            (axe-core, vnu-jar; stamp: hash of package-lock.json)
#   4. ruff check and ruff format --check on src, tests and benchmarks; mypy
#   5. pytest -n auto
# Exports MINUTEBOOK_CHROMIUM (path of Chromium) for the tests.
# MINUTEBOOK_SKIP_LINT=1 skips step 4 (for quick local loops; CI never sets it).
set -euo pipefail
# shellcheck source=scripts/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
cd "$MB_ROOT"

# ---------------------------------------------------------------- timing / headers
declare -a TIMINGS=()
PHASE_NAME=""
PHASE_START=""
now() { date +%s.%N; }
phase_end() {
    if [[ -n "$PHASE_NAME" ]]; then
        local secs
        secs="$(awk -v a="$PHASE_START" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
        TIMINGS+=("$(printf '%-22s %6ss' "$PHASE_NAME" "$secs")")
        PHASE_NAME=""
    fi
}
phase() {
    phase_end
    PHASE_NAME="$1"
    PHASE_START="$(now)"
    printf '\n==> %s\n' "$1"
}
summary() {
    phase_end
    printf '\n==> timings\n'
    local t
    for t in "${TIMINGS[@]}"; do printf '  %s\n' "$t"; done
}
RUN_START="$(now)"

# ---------------------------------------------------------------- 1. system packages
phase "system packages"
apt_pkgs=()
command -v chromium >/dev/null 2>&1 || apt_pkgs+=(chromium)
if ! dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q 'install ok installed'; then
    apt_pkgs+=(fonts-liberation)
fi
command -v java >/dev/null 2>&1 || apt_pkgs+=(default-jre-headless)
command -v pdftotext >/dev/null 2>&1 || apt_pkgs+=(poppler-utils)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(nodejs npm)

if ((${#apt_pkgs[@]} == 0)); then
    echo "  chromium, fonts-liberation, java, pdftotext, npm: already installed"
else
    if [[ $(id -u) -ne 0 ]]; then
        {
            echo "error: missing system packages: ${apt_pkgs[*]}"
            echo "install them as root, then run this again:"
            echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${apt_pkgs[*]}"
        } >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: missing system packages (${apt_pkgs[*]}) and no apt-get to install them" >&2
        exit 1
    fi
    echo "  apt-get install ${apt_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}" >/dev/null
fi

if [[ -z "${MINUTEBOOK_CHROMIUM:-}" || ! -x "${MINUTEBOOK_CHROMIUM}" ]]; then
    MINUTEBOOK_CHROMIUM="$(command -v chromium || true)"
fi
if [[ -z "$MINUTEBOOK_CHROMIUM" ]]; then
    echo "error: chromium is still not on PATH after installing it" >&2
    exit 1
fi
export MINUTEBOOK_CHROMIUM
echo "  MINUTEBOOK_CHROMIUM=$MINUTEBOOK_CHROMIUM ($("$MINUTEBOOK_CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"

mb_lock   # held while installing into .venv and node_modules; released before the tests

# ---------------------------------------------------------------- 2. python
phase "python (.venv)"
mb_ensure_venv test

# ---------------------------------------------------------------- 3. npm
phase "npm (node_modules)"
lock_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
npm_stamp="node_modules/.minutebook-lock-hash"
if [[ -f "$npm_stamp" && "$(cat "$npm_stamp")" == "$lock_hash" \
      && -f node_modules/axe-core/axe.min.js && -f node_modules/vnu-jar/build/dist/vnu.jar ]]; then
    echo "  node_modules is up to date with package-lock.json (stamp matches)"
else
    # --ignore-scripts: vnu-jar's postinstall would try to download a Java from GitHub; the
    # machine's Java (default-jre-headless) runs vnu.jar instead.
    echo "  npm ci --ignore-scripts"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$lock_hash" >"$npm_stamp"
fi

mb_unlock

# ---------------------------------------------------------------- 4. lint + types
failed=()
if [[ "${MINUTEBOOK_SKIP_LINT:-}" == "1" ]]; then
    phase "lint + types"
    echo "  skipped: MINUTEBOOK_SKIP_LINT=1"
else
    phase "ruff check, ruff format --check"
    if .venv/bin/ruff check src tests benchmarks; then :; else failed+=("ruff"); fi
    if .venv/bin/ruff format --check src tests benchmarks; then :; else failed+=("ruff format"); fi
    phase "mypy"
    if .venv/bin/mypy; then :; else failed+=("mypy"); fi
fi

# ---------------------------------------------------------------- 5. pytest
phase "pytest"
set +e
.venv/bin/python -m pytest -n auto -p no:cacheprovider "$@"
rc=$?
set -e
case $rc in
    0) ;;
    5) echo "error: pytest collected no tests (exit code 5) — a wrong path or -k/-m filter?" >&2
       failed+=("pytest (no tests collected)") ;;
    *) failed+=("pytest (exit code $rc)") ;;
esac

summary
total="$(awk -v a="$RUN_START" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
if ((${#failed[@]})); then
    printf '\nFAILED: %s (%ss)\n' "$(IFS=,; echo "${failed[*]}" | sed 's/,/, /g')" "$total" >&2
    exit 1
fi
printf '\nOK: all checks passed (%ss)\n' "$total"
