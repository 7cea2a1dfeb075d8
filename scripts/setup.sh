#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine (idempotent; a second run is quick).
#   - npm dependencies, including Node 22 from the npm `node` package (see README)
#   - the Go-built tools in .tools/bin (scripts/tools.sh; minutes on a fresh machine, seconds
#     once built): Pulumi CLI, Node.js language host, Kubernetes and random providers,
#     Prometheus 3 and Alertmanager, linters, the local control plane
#   - with TASK_MCP_PROMETHEUS=debian only: Debian's older prometheus and prometheus-alertmanager,
#     which the suites then run instead (test/support/prometheus-tools.ts)
#   - the real task-mcp-http server in .server/ for the live tests (scripts/server.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

need_apt=()
if [ "${TASK_MCP_PROMETHEUS:-}" = debian ]; then
    command -v promtool >/dev/null || need_apt+=(prometheus)
    command -v amtool >/dev/null || need_apt+=(prometheus-alertmanager)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    step "apt-get install ${need_apt[*]}"
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    # The packages' own services are not wanted: the tests start their own on free loopback ports.
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ "${TASK_MCP_PROMETHEUS:-}" = debian ]; then step "Debian's tools: $(promtool --version 2>&1 | head -1); $(amtool --version 2>&1 | head -1)"; fi

if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci"
    npm ci --no-audit --no-fund
else
    step "npm dependencies up to date"
fi
step "node $(node_modules/.bin/node --version) for tests and the Pulumi program"

step "the policy pack, compiled to JavaScript (.tools/policy-pack; policy/analyzer)"
npm run --silent build:policy

step "the real task-mcp-http server (scripts/server.sh)"
bash scripts/server.sh

step "Go tools (scripts/tools.sh)"
bash scripts/tools.sh
