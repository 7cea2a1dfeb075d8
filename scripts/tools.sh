#!/usr/bin/env bash
# Builds the Go tools pinned in tools/ into .tools/bin (idempotent, cached by a stamp of their
# pins: a second run takes seconds).
#   pulumi                      the Pulumi CLI                (tools/go.mod)
#   pulumi-resource-kubernetes  the Kubernetes provider 4.32.0, from ../shared/upstream (see below)
#   actionlint, kube-score, kubeconform   linters             (tools/linters/go.mod)
#   etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl   (tools/kubernetes/go.mod)
#   kwok, kwokctl               simulated nodes for the local control plane (tools/kwok/go.mod)
#   prometheus-operator         the operator, run by scripts/cluster.sh (tools/prometheus-operator/go.mod)
#   pulumi-language-nodejs      the Node.js language host, from ../shared/upstream (see below)
#   pulumi-resource-random      the random provider, from ../shared/upstream (see below)
#   prometheus, promtool        Prometheus 3 (tools/prometheus/go.mod)
#   alertmanager, amtool        Alertmanager (tools/alertmanager/go.mod)
#   caddy                       the proxy the pod runs in front of the server (tools/caddy/go.mod)
#   blackbox_exporter           probes readiness through the Service (tools/blackbox/go.mod)
#   kube-state-metrics          the cluster suite's source of kube_* series (tools/kube-state-metrics/go.mod)
#   .tools/schemas              kubeconform's offline schemas, from the Kubernetes OpenAPI and
#                               the prometheus-operator CRDs (versions: tools/linters/go.mod)
# A `pulumi` already on PATH is used instead of building one when its version is at least
# the pinned one. Nothing is downloaded but Go modules from the module proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/.tools/bin
mkdir -p "$bin"
export GOFLAGS=-mod=mod

step() { printf '==> %s\n' "$*"; }

# progress NAME COMMAND...: runs the command, printing a line a minute while it runs, so a long
# cold build (minutes of `go build` that prints nothing) shows it is alive.
progress() {
    local name=$1; shift
    local started=$SECONDS
    ( while sleep 60; do printf '    ... %s: still building (%d min)\n' "$name" $(((SECONDS - started) / 60)); done ) &
    local ticker=$!
    local status=0
    "$@" || status=$?
    kill "$ticker" 2>/dev/null; wait "$ticker" 2>/dev/null || true
    return "$status"
}

# A tool's stamp is a hash of what it is built from: its pins (FILES) and its build recipe, not
# this script's text, so editing a comment here rebuilds nothing. For build_tool the recipe is
# the package, tags and ldflags; for the builds written out below it is a label with their
# versions: change the label when you change their steps.
# fresh NAME RECIPE FILES...: true when NAME was built from exactly these inputs.
inputs_hash() { local recipe=$1; shift; { printf '%s\n' "$recipe"; cat "$@"; } | sha256sum | cut -d' ' -f1; }
fresh() {
    local name=$1; shift
    [ -x "$bin/$name" ] && [ "$(cat "$bin/.$name.stamp" 2>/dev/null)" = "$(inputs_hash "$@")" ]
}
# stamp NAME RECIPE FILES...: records what NAME was just built from.
stamp() {
    local name=$1; shift
    inputs_hash "$@" >"$bin/.$name.stamp"
}
version_of() { (cd "$1" && go list -m -f '{{.Version}}' "$2"); }
# The module's source directory, downloading it first (`go list -m` alone does not on a cold cache).
dir_of() { (cd "$1" && go mod download -json "$2" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p'); }

build_tool() { # MODULE_DIR NAME PACKAGE LDFLAGS [TAGS]
    local dir=$1 name=$2 pkg=$3 ldflags=${4:-} tags=${5:-}
    local recipe="go build -tags '$tags' -ldflags '$ldflags' $pkg"
    if fresh "$name" "$recipe" "$dir/go.mod" "$dir/go.sum"; then
        step "$name: up to date"
        return
    fi
    step "$name: building $pkg (a first build takes minutes)"
    local started=$SECONDS
    progress "$name" bash -c 'cd "$1" && go build -tags "$2" -ldflags "$3" -o "$4" "$5"' _ "$dir" "$tags" "$ldflags" "$bin/$name" "$pkg"
    stamp "$name" "$recipe" "$dir/go.mod" "$dir/go.sum"
    step "$name: built in $((SECONDS - started)) s"
}

# Source trees from ../shared/upstream, hashed for their stamps (the module proxy does not serve them).
upstream=${TASK_MCP_PLUGINS_UPSTREAM:-$root/../shared/upstream}
tree_files() { (cd "$1" && find . -type f | sort | xargs sha256sum); }

# --- Pulumi CLI -----------------------------------------------------------------------------
pulumi_version=$(version_of tools github.com/pulumi/pulumi/pkg/v3)
if [ ! -x "$bin/pulumi" ] && command -v pulumi >/dev/null && [ -z "${TASK_MCP_BUILD_PULUMI:-}" ]; then
    have=$(pulumi version 2>/dev/null || true)
    if [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$pulumi_version" "$have" | sort -V | head -1)" = "$pulumi_version" ]; then
        step "pulumi: using $(command -v pulumi) ($have >= $pulumi_version)"
        ln -sf "$(command -v pulumi)" "$bin/pulumi"
    fi
fi
if [ ! -L "$bin/pulumi" ]; then
    build_tool tools pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
        "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version"
fi

# The Node.js language host. Its Go files build as a package of the CLI's own module (same
# pulumi/pkg and sdk, so a warm build links in seconds); the CLI finds it beside its binary.
# With an official CLI the language host that ships beside it is used.
if [ -L "$bin/pulumi" ]; then
    ln -sf "$(dirname "$(readlink -f "$bin/pulumi")")/pulumi-language-nodejs" "$bin/pulumi-language-nodejs"
else
    src=$upstream/pulumi-language-nodejs
    [ -f "$src/main.go" ] || { echo "tools: no language host source at $src (set TASK_MCP_PLUGINS_UPSTREAM)" >&2; exit 1; }
    tree_files "$src" >"$root/.tools/language-nodejs.inputs"
    if fresh pulumi-language-nodejs "$pulumi_version" tools/go.mod tools/go.sum "$root/.tools/language-nodejs.inputs"; then
        step "pulumi-language-nodejs: up to date"
    else
        step "pulumi-language-nodejs $pulumi_version: building from $src"
        started=$SECONDS
        rm -rf tools/build/pulumi-language-nodejs && mkdir -p tools/build/pulumi-language-nodejs
        cp "$src"/*.go tools/build/pulumi-language-nodejs/
        (cd tools && go build -mod=readonly -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version" \
            -o "$bin/pulumi-language-nodejs" ./build/pulumi-language-nodejs)
        stamp pulumi-language-nodejs "$pulumi_version" tools/go.mod tools/go.sum "$root/.tools/language-nodejs.inputs"
        step "pulumi-language-nodejs: built in $((SECONDS - started)) s"
    fi
fi

build_tool tools/linters actionlint github.com/rhysd/actionlint/cmd/actionlint
build_tool tools/linters kube-score github.com/zegl/kube-score/cmd/kube-score
build_tool tools/linters kubeconform github.com/yannh/kubeconform/cmd/kubeconform

# --- local control plane -------------------------------------------------------------------
# Without the version ldflags /version says v0.0.0-master, which the Kubernetes provider rejects.
k8s_version=$(version_of tools/kubernetes k8s.io/kubernetes)
k8s_ldflags="-X k8s.io/component-base/version.gitVersion=$k8s_version -X k8s.io/component-base/version.gitMajor=$(echo "$k8s_version" | cut -d. -f1 | tr -d v) -X k8s.io/component-base/version.gitMinor=$(echo "$k8s_version" | cut -d. -f2)"
for component in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    build_tool tools/kubernetes "$component" "k8s.io/kubernetes/cmd/$component" "$k8s_ldflags"
done
build_tool tools/kubernetes etcd go.etcd.io/etcd/server/v3
build_tool tools/kwok kwok sigs.k8s.io/kwok/cmd/kwok
build_tool tools/kwok kwokctl sigs.k8s.io/kwok/cmd/kwokctl
# The operator that turns ServiceMonitors, PrometheusRules and AlertmanagerConfigs into the
# configuration Prometheus and Alertmanager run; scripts/cluster.sh starts it.
op_version=$(version_of tools/prometheus-operator github.com/prometheus-operator/prometheus-operator)
build_tool tools/prometheus-operator prometheus-operator github.com/prometheus-operator/prometheus-operator/cmd/operator \
    "-X github.com/prometheus/common/version.Version=${op_version#v} -X github.com/prometheus/common/version.Revision=$op_version"

# --- Prometheus 3 and Alertmanager ----------------------------------------------------------
# remove_all_sd drops the cloud service-discovery plugins (static, file and http remain), which
# saves minutes of a cold build; enable_kubernetes_sd keeps Kubernetes discovery, with which the
# cluster suite runs the scrape config the prometheus-operator generates against the local API
# server. The version ldflags make `--version` print the release (3.16.0, 0.35.0), as the
# official builds do.
prom_version=$(version_of tools/prometheus github.com/prometheus/prometheus)
prom_release=$(cat "$(dir_of tools/prometheus github.com/prometheus/prometheus)/VERSION")
am_version=$(version_of tools/alertmanager github.com/prometheus/alertmanager)
promu_ldflags() { echo "-X github.com/prometheus/common/version.Version=$1 -X github.com/prometheus/common/version.Revision=$2 -X github.com/prometheus/common/version.Branch=module"; }
for cmd in promtool prometheus; do
    build_tool tools/prometheus $cmd github.com/prometheus/prometheus/cmd/$cmd "$(promu_ldflags "$prom_release" "$prom_version")" remove_all_sd,enable_kubernetes_sd,netgo
done
build_tool tools/alertmanager amtool github.com/prometheus/alertmanager/cmd/amtool "$(promu_ldflags "${am_version#v}" "$am_version")"
# The alertmanager command embeds its web UI's build output (ui/app/dist), which the module zip
# does not carry and Go will not overlay inside the module cache: build it from an ignored copy
# of the module with a one-page placeholder UI (the tests use the API only).
if fresh alertmanager "$am_version placeholder-ui" tools/alertmanager/go.mod tools/alertmanager/go.sum; then
    step "alertmanager: up to date"
else
    step "alertmanager $am_version: building from a copy of the module (placeholder web UI)"
    started=$SECONDS
    am_build=$root/.tools/build/alertmanager
    rm -rf "$am_build" && mkdir -p "$(dirname "$am_build")"
    cp -r "$(dir_of tools/alertmanager github.com/prometheus/alertmanager)" "$am_build" && chmod -R u+w "$am_build"
    for ui in elm mantine; do
        mkdir -p "$am_build/ui/app/dist/$ui"
        echo '<!doctype html><title>Alertmanager</title><p>Web UI not built here; the API is at /api/v2.' >"$am_build/ui/app/dist/$ui/index.html"
    done
    (cd "$am_build" && progress alertmanager go build -ldflags "$(promu_ldflags "${am_version#v}" "$am_version")" -o "$bin/alertmanager" ./cmd/alertmanager)
    stamp alertmanager "$am_version placeholder-ui" tools/alertmanager/go.mod tools/alertmanager/go.sum
    step "alertmanager: built in $((SECONDS - started)) s"
fi

# --- what measures the server from outside: the proxy in the pod and the blackbox exporter ---
# Both versions' module lists are refused by the proxy, so `go install ...@version` fails; a
# go.mod that requires the exact version builds.
build_tool tools/caddy caddy github.com/caddyserver/caddy/v2/cmd/caddy
bb_version=$(version_of tools/blackbox github.com/prometheus/blackbox_exporter)
build_tool tools/blackbox blackbox_exporter github.com/prometheus/blackbox_exporter "$(promu_ldflags "${bb_version#v}" "$bb_version")"

# --- kube-state-metrics, for the cluster suite ------------------------------------------------
# v2.16.0 is served but absent from the checksum database (as is its sample-controller
# dependency): go.sum, committed, pins both hashes, and GONOSUMDB lets a cold cache fetch them.
ksm_nosumdb=k8s.io/kube-state-metrics,k8s.io/sample-controller${GONOSUMDB:+,$GONOSUMDB}
ksm_version=$(GONOSUMDB=$ksm_nosumdb version_of tools/kube-state-metrics k8s.io/kube-state-metrics/v2)
GONOSUMDB=$ksm_nosumdb build_tool tools/kube-state-metrics kube-state-metrics k8s.io/kube-state-metrics/v2 "$(promu_ldflags "${ksm_version#v}" "$ksm_version")"

# --- kubeconform schemas --------------------------------------------------------------------
schemas=$root/.tools/schemas
want=$(cat tools/linters/go.mod scripts/kubeconform-schemas.ts | sha256sum | cut -d' ' -f1)
if [ -d "$schemas" ] && [ "$(cat "$bin/.schemas.stamp" 2>/dev/null)" = "$want" ]; then
    step "kubeconform schemas: up to date"
else
    step "kubeconform schemas: downloading their sources and converting"
    dirs=()
    while read -r module version; do
        dirs+=("$(dir_of . "$module@$version")")
    done < <(sed -n 's/^\/\/ schema-source: //p' tools/linters/go.mod)
    rm -rf "$schemas"
    PATH=$root/node_modules/.bin:$PATH ts-node -T scripts/kubeconform-schemas.ts "${dirs[@]}" "$schemas"
    echo "$want" >"$bin/.schemas.stamp"
fi

# --- Kubernetes provider --------------------------------------------------------------------
# pulumi-kubernetes v4.32.0 from ../shared/upstream (the module proxy serves only a 4.24.1-dev
# pseudo-version): built in an ignored copy under .tools/build, as the random provider below.
# Its main package embeds schema-embed.json and terraform-mapping-embed.json, which `go run
# generate.go` writes from the committed schema. The version is the npm SDK's (package.json),
# so the plugin says what the SDK asks for.
k8s_provider_version=$(node -p 'require("./package.json").dependencies["@pulumi/kubernetes"]')
src=$upstream/pulumi-kubernetes
[ -f "$src/provider/go.mod" ] || { echo "tools: no Kubernetes provider source at $src (set TASK_MCP_PLUGINS_UPSTREAM)" >&2; exit 1; }
tree_files "$src" >"$root/.tools/kubernetes.inputs"
if fresh pulumi-resource-kubernetes "$k8s_provider_version" "$root/.tools/kubernetes.inputs"; then
    step "pulumi-resource-kubernetes: up to date"
else
    step "pulumi-resource-kubernetes $k8s_provider_version: generating its embedded schema"
    started=$SECONDS
    build=$root/.tools/build/pulumi-kubernetes
    rm -rf "$build" && mkdir -p "$(dirname "$build")" && cp -r "$src" "$build" && chmod -R u+w "$build"
    (cd "$build/provider/cmd/pulumi-resource-kubernetes" && VERSION=$k8s_provider_version progress "pulumi-resource-kubernetes schema" go run generate.go)
    step "pulumi-resource-kubernetes: building (a first build takes 10 minutes or more)"
    (cd "$build/provider" && CGO_ENABLED=0 progress pulumi-resource-kubernetes go build \
        -ldflags "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$k8s_provider_version" \
        -o "$bin/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes)
    stamp pulumi-resource-kubernetes "$k8s_provider_version" "$root/.tools/kubernetes.inputs"
    step "pulumi-resource-kubernetes: built in $((SECONDS - started)) s"
fi

# --- the random provider --------------------------------------------------------------------
# Its own module (with its shim/ module beside it) in an ignored copy under .tools/build; the
# version is the npm SDK's (package.json), which the engine asks the plugin for.
random_version=$(node -p 'require("./package.json").dependencies["@pulumi/random"]')
src=$upstream/pulumi-random
[ -f "$src/provider/go.mod" ] || { echo "tools: no random provider source at $src (set TASK_MCP_PLUGINS_UPSTREAM)" >&2; exit 1; }
tree_files "$src" >"$root/.tools/random.inputs"
if fresh pulumi-resource-random "$random_version" "$root/.tools/random.inputs"; then
    step "pulumi-resource-random: up to date"
else
    step "pulumi-resource-random $random_version: generating its schema (a first build takes minutes)"
    started=$SECONDS
    build=$root/.tools/build/pulumi-random
    rm -rf "$build" && mkdir -p "$(dirname "$build")" && cp -r "$src" "$build" && chmod -R u+w "$build"
    (cd "$build/provider/cmd/pulumi-resource-random" && VERSION=$random_version progress "pulumi-resource-random schema" go run generate.go)
    step "pulumi-resource-random: building"
    (cd "$build/provider" && progress pulumi-resource-random go build -ldflags "-X github.com/pulumi/pulumi-random/provider/v4/pkg/version.Version=$random_version" \
        -o "$bin/pulumi-resource-random" ./cmd/pulumi-resource-random)
    stamp pulumi-resource-random "$random_version" "$root/.tools/random.inputs"
    step "pulumi-resource-random: built in $((SECONDS - started)) s"
fi

# --- plugins where the engine looks for them --------------------------------------------------
# Installed into the project's PULUMI_HOME (as scripts/lib/engine.ts sets it) rather than found on
# PATH: the engine then loads them as it loads downloaded ones, with no "from $PATH" warning.
# Each goes in under the version its npm SDK asks for, the version it was built as.
pulumi_home=${PULUMI_HOME:-$root/.pulumi-home}
# Plugins of older pins (the 4.24.1-dev provider built before 4.32.0) would only take disk.
find "$pulumi_home/plugins" -maxdepth 1 -name 'resource-kubernetes-v*' ! -name "resource-kubernetes-v$k8s_provider_version*" -exec rm -rf {} + 2>/dev/null || true
for plugin in "kubernetes $k8s_provider_version" "random $random_version"; do
    set -- $plugin
    if [ -x "$pulumi_home/plugins/resource-$1-v$2/pulumi-resource-$1" ] && cmp -s "$bin/pulumi-resource-$1" "$pulumi_home/plugins/resource-$1-v$2/pulumi-resource-$1"; then
        step "plugin $1 $2: installed"
    else
        step "plugin $1 $2: installing into $pulumi_home"
        # `plugin install` leaves an installed version as it is: a rebuilt binary must replace it.
        rm -rf "$pulumi_home/plugins/resource-$1-v$2" "$pulumi_home/plugins/resource-$1-v$2".*
        PULUMI_HOME=$pulumi_home "$bin/pulumi" plugin install resource "$1" "$2" --file "$bin/pulumi-resource-$1" >/dev/null
    fi
done

step "tools in .tools/bin: pulumi $("$bin/pulumi" version), $("$bin/promtool" --version | head -1), $("$bin/amtool" --version | head -1)"
