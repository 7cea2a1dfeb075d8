#!/usr/bin/env bash
# Builds the real task-mcp-http server (../shared/upstream/task-mcp-http, or $TASK_MCP_UPSTREAM)
# into .server/build for the live tests: a copy of its source, the two package.json fixes its
# monorepo needs (see ../shared/upstream/README.md), our committed lock file (server/), npm ci,
# tsc. Cached by a stamp of its inputs: a second run takes a second.
#   bash scripts/server.sh               build (or report "up to date")
#   bash scripts/server.sh --update-lock re-resolve server/package-lock.json, then build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
upstream=${TASK_MCP_UPSTREAM:-$root/../shared/upstream/task-mcp-http}
out=$root/.server
build=$out/build
lock=$root/server/package-lock.json

step() { printf '==> server: %s\n' "$*"; }

[ -f "$upstream/package.json" ] || { echo "server: no task-mcp-http source at $upstream (set TASK_MCP_UPSTREAM)" >&2; exit 1; }

self=$root/scripts/server.sh
inputs() { (cd "$upstream" && find package.json tsconfig.json src -type f | sort | xargs sha256sum && sha256sum "$lock" "$self") | sha256sum | cut -d' ' -f1; }

if [ "${1:-}" != "--update-lock" ] && [ -f "$build/dist/index.js" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$(inputs)" ]; then
    step "up to date ($build)"
    exit 0
fi

started=$SECONDS
rm -rf "$build" && mkdir -p "$out"
cp -r "$upstream" "$build"
chmod -R u+w "$build"
# The monorepo's package.json as npm can install it: no workspace peer, no test-only packages
# (one of which, @opentelemetry/contrib-test-utils@^0.52.0, was never published).
node -e '
const fs = require("fs");
const file = process.argv[1];
const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
delete pkg.peerDependencies;
for (const name of ["@opentelemetry/contrib-test-utils", "vitest", "tsx"]) delete pkg.devDependencies[name];
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
' "$build/package.json"

if [ "${1:-}" = "--update-lock" ]; then
    step "resolving a new lock file"
    (cd "$build" && npm install --legacy-peer-deps --package-lock-only --no-audit --no-fund)
    mkdir -p "$(dirname "$lock")" && cp "$build/package-lock.json" "$lock"
fi
cp "$lock" "$build/package-lock.json"
step "npm ci (about a minute on a fresh machine)"
(cd "$build" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error)

step "tsc"
# At the pinned commit tsc reports one type error (src/otel/tracing.ts(286,34)) and still emits
# dist/. Any other error fails the build.
errors=$(cd "$build" && node_modules/.bin/tsc -p . 2>&1 | grep -E '^src/.*error TS' | grep -v '^src/otel/tracing.ts(286,34)' || true)
if [ -n "$errors" ] || [ ! -f "$build/dist/index.js" ]; then
    echo "server: tsc failed:" >&2; echo "$errors" >&2; exit 1
fi
inputs >"$out/.stamp"
step "built in $((SECONDS - started)) s: node $build/dist/index.js"
