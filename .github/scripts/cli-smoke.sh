#!/usr/bin/env bash
# The real dashscope-setup as a user's script runs it, every command's output piped: setup with the
# live check against the fake DashScope (tests/fakes/dashscope.py) on 127.0.0.1, NEW shells that
# see the key and the region's base URLs, status, env, snippet, test, and remove giving HOME back
# as it was. The GitHub workflow runs it on macOS (/bin/bash 3.2, /bin/zsh); tests/test_workflow.py
# runs it on Linux. Usage: cli-smoke.sh SHELL... (bash, zsh)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
py=${PYTHON:-python3}
tool=${DASHSCOPE_SETUP:-dashscope-setup}
work=$(mktemp -d)
fake_pid=
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home"
mkdir "$HOME"
cd "$HOME"
fail() { echo "FAIL: $*" >&2; exit 1; }

key="sk-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s ap-southeast-1\n' "$key" > "$work/keys"
(cd "$root" && exec "$py" -m tests.fakes.dashscope --port 0 --keys-file "$work/keys" > "$work/fake.out") &
fake_pid=$!
for _ in $(seq 100); do
  grep -q '^DASHSCOPE_SETUP_REGION_URLS=' "$work/fake.out" 2>/dev/null && break
  sleep 0.1
done
urls=$(sed -n 's/^DASHSCOPE_SETUP_REGION_URLS=//p' "$work/fake.out")
[ -n "$urls" ] || fail "the fake DashScope did not start"
export DASHSCOPE_SETUP_REGION_URLS="$urls"
compatible=$(printf '%s\n' "$urls" | tr ',' '\n' | sed -n 's/^ap-southeast-1=//p')
native=${compatible%/compatible-mode/v1}/api/v1

# $1: a name for the log; the rest: the command. Output goes through a pipe, as `> log.txt` or
# `out=$(…)` would take it; the key must never be in it.
run() {
  name=$1
  shift
  "$@" | cat > "$work/$name.txt" || fail "$name exited ${PIPESTATUS[0]}"
  cat "$work/$name.txt"
  if grep -qF "$key" "$work/$name.txt"; then fail "$name printed the key"; fi
}

shell_args=()
for shell in "$@"; do shell_args+=(--shell "$shell"); done
printf '%s\n' "$key" > "$work/stdin"
run setup "$tool" setup --yes --key-stdin "${shell_args[@]}" < "$work/stdin"

# NEW shells, as a terminal, a login and a script start them.
want="$key|$native|$compatible"
show='printf "%s|%s|%s" "$DASHSCOPE_API_KEY" "$DASHSCOPE_HTTP_BASE_URL" "$DASHSCOPE_COMPATIBLE_BASE_URL"'
for shell in "$@"; do
  for flags in -ic -lc; do
    got=$(env -i HOME="$HOME" PATH="$PATH" TERM=dumb "$shell" "$flags" "$show" 2>/dev/null < /dev/null)
    [ "$got" = "$want" ] || fail "a new '$shell $flags' got '$got'"
  done
done

run status "$tool" status
run snippet "$tool" snippet --shell bash
run test env -u DASHSCOPE_API_KEY "$tool" test
# env prints the key itself, for eval: it goes straight into a shell, never into a log.
got=$(env -i PATH="$PATH" HOME="$HOME" sh -c 'eval "$("$0" env --shell sh)"; printf %s "$DASHSCOPE_API_KEY"' "$tool")
[ "$got" = "$key" ] || fail "eval of env --shell sh gave '$got'"
run remove "$tool" remove --yes

left=$(find "$HOME" -mindepth 1 ! -name '.zsh_history' ! -name '.bash_history' ! -name '.zcompdump*' | sort)
[ -z "$left" ] || fail "remove left: $left"
echo "cli-smoke: OK ($*)"
