# shellcheck shell=bash
# Shared helpers for scripts/serve.sh and scripts/test.sh. Source it; don't run it.
#
# Sets MB_ROOT (the repository root) and provides:
#   mb_python3            the interpreter used to create .venv (python3)
#   mb_ensure_venv EXTRA  create .venv when missing and `pip install -e .[EXTRA]` (EXTRA may be
#                         empty) unless a stamp in .venv says this pyproject.toml was installed.
#   mb_lock / mb_unlock   serialise installs between concurrent runs on one checkout.

MB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MB_VENV="$MB_ROOT/.venv"

mb_lock() {
    # Two runs in one checkout must not pip-install or npm-ci at the same time.
    if command -v flock >/dev/null 2>&1; then
        local key
        key="$(printf '%s' "$MB_ROOT" | sha256sum | cut -c1-16)"
        exec 9>"${TMPDIR:-/tmp}/minutebook-setup-$key.lock"
        flock 9
    fi
}

mb_unlock() {
    if { true >&9; } 2>/dev/null; then
        exec 9>&-
    fi
}

mb_python3() {
    if command -v python3 >/dev/null 2>&1; then
        command -v python3
    else
        echo "error: python3 not found; install it (Debian: apt-get install python3 python3-venv)" >&2
        return 1
    fi
}

# The stamp's content: what was installed, from which pyproject.toml, into which Python.
mb_stamp_value() {
    local extra="$1" pyver
    pyver="$("$MB_VENV/bin/python" -c 'import sys; print(sys.version)' 2>/dev/null || echo none)"
    {
        printf 'extras=%s\npython=%s\n' "$extra" "$pyver"
        cat "$MB_ROOT/pyproject.toml"
    } | sha256sum | cut -d' ' -f1
}

mb_stamp_file() {
    printf '%s/.minutebook-installed-%s' "$MB_VENV" "${1:-base}"
}

mb_stamp_ok() {
    local extra="$1" file
    file="$(mb_stamp_file "$extra")"
    [[ -f "$file" ]] && [[ "$(cat "$file")" == "$(mb_stamp_value "$extra")" ]]
}

mb_ensure_venv() {
    local extra="${1:-}" py spec
    if [[ -x "$MB_VENV/bin/python" ]] && ! "$MB_VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
        echo "  .venv is broken (its interpreter does not start); recreating it"
        py="$(mb_python3)"
        "$py" -m venv --clear "$MB_VENV"
    elif [[ ! -x "$MB_VENV/bin/python" ]]; then
        py="$(mb_python3)"
        echo "  creating .venv with $py ($("$py" -V 2>&1))"
        if ! "$py" -m venv "$MB_VENV"; then
            # Debian's python3 ships without ensurepip until python3-venv is installed.
            rm -rf "$MB_VENV"
            if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
                echo "  installing python3-venv (Debian splits venv out of python3)"
                apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
            fi
            if ! "$py" -m venv "$MB_VENV"; then
                echo "error: '$py -m venv' failed; on Debian run: sudo apt-get install python3-venv" >&2
                return 1
            fi
        fi
    fi

    # Already installed from this exact pyproject.toml? ([test] includes the base install.)
    local needed=("$MB_VENV/bin/minutebook")
    if [[ "$extra" == "test" ]]; then
        needed+=("$MB_VENV/bin/pytest" "$MB_VENV/bin/ruff" "$MB_VENV/bin/mypy")
    fi
    local have_all=1 f
    for f in "${needed[@]}"; do [[ -x "$f" ]] || have_all=0; done
    if [[ $have_all == 1 ]]; then
        if mb_stamp_ok "$extra" || { [[ -z "$extra" ]] && mb_stamp_ok test; }; then
            echo "  .venv is up to date with pyproject.toml${extra:+ [$extra]} (stamp matches)"
            return 0
        fi
    fi

    spec="."
    [[ -n "$extra" ]] && spec=".[$extra]"
    echo "  pip install -e '$spec'"
    # The filter drops this machine's pip-config noise about absent local index folders.
    if ! (cd "$MB_ROOT" && "$MB_VENV/bin/python" -m pip install --disable-pip-version-check \
            --no-input -q -e "$spec") 2>&1 \
        | { grep -v 'is ignored: it is neither a file nor a directory' || true; }; then
        echo "error: pip install -e '$spec' failed (see above)" >&2
        return 1
    fi
    mb_stamp_value "$extra" >"$(mb_stamp_file "$extra")"
}
