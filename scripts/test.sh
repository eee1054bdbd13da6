#!/usr/bin/env bash
# `npm test`: type-check, node:test suites (unit, integration, course self-check, experiments),
# then the site build and the browser suites. Stops at the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."

# The tests run learners' commands; their workspace copies go to a scratch folder, never to the
# project's own workspace/ (kit/workspace.ts). It sits under output/ so that the copies still
# resolve the project's node_modules.
mkdir -p output
LEAKLAB_WORKSPACE="$(mktemp -d "$PWD/output/test-workspace-XXXXXX")"
export LEAKLAB_WORKSPACE
trap 'rm -rf "$LEAKLAB_WORKSPACE"' EXIT

echo "== type-check"
npx tsc --noEmit

echo "== node:test suites"
# Node 20 does not expand globs for --test: let the shell list the files.
mapfile -t suites < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
node --import tsx --test --test-concurrency=1 "${suites[@]}"

echo "== site build"
npx astro build

echo "== browser suites (Playwright, Chromium)"
npx playwright test
