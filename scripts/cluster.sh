#!/usr/bin/env bash
# A local Kubernetes control plane on 127.0.0.1, from the binaries scripts/tools.sh built:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, and kwok simulating two nodes
# so pods are scheduled, become Running and Ready, and get IPs. kwokctl generates the
# certificates and the kubeconfig under .cluster/ (ignored).
#
#   bash scripts/cluster.sh up     # start (idempotent), install the monitoring CRDs
#   bash scripts/cluster.sh down   # stop and delete everything under .cluster/
#   bash scripts/cluster.sh env    # print `export KUBECONFIG=...`
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=$root/.tools/bin
export KWOK_WORKDIR=$root/.cluster
# kwokctl runs kubectl too, and downloads one unless told: ours, from tools.sh.
export KWOK_KUBECTL_BINARY=$bin/kubectl
name=task-mcp
kubeconfig=$KWOK_WORKDIR/kubeconfig
step() { printf '==> %s\n' "$*"; }
kubectl() { "$bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

up() {
    if [ -f "$kubeconfig" ] && kubectl get --raw /readyz >/dev/null 2>&1; then
        step "cluster $name already up ($kubeconfig)"
        return
    fi
    for tool in kwokctl kwok kube-apiserver kube-controller-manager kube-scheduler etcd kubectl; do
        [ -x "$bin/$tool" ] || { echo "missing $bin/$tool: run bash scripts/tools.sh" >&2; exit 1; }
    done
    step "starting control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)"
    local started=$SECONDS
    mkdir -p "$KWOK_WORKDIR"
    # Loopback only: kwokctl binds every component to 0.0.0.0 unless told otherwise.
    cat >"$KWOK_WORKDIR/kwokctl.yaml" <<'YAML'
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  bindAddress: 127.0.0.1
  # kubectl port-forward and kubectl logs against simulated pods: a ClusterPortForward or
  # ClusterLogs object says where (tests point them at the real processes on loopback).
  enableCRDs: [ClusterPortForward, ClusterLogs]
YAML
    "$bin/kwokctl" --config "$KWOK_WORKDIR/kwokctl.yaml" create cluster --name "$name" --runtime binary \
        --etcd-binary "$bin/etcd" \
        --kube-apiserver-binary "$bin/kube-apiserver" \
        --kube-controller-manager-binary "$bin/kube-controller-manager" \
        --kube-scheduler-binary "$bin/kube-scheduler" \
        --kwok-controller-binary "$bin/kwok" \
        --kubeconfig "$kubeconfig" \
        --wait 120s --quiet-pull >"$KWOK_WORKDIR.log" 2>&1 || { cat "$KWOK_WORKDIR.log" >&2; exit 1; }
    step "control plane ready in $((SECONDS - started)) s"
    "$bin/kwokctl" --name "$name" scale node --replicas 2 >>"$KWOK_WORKDIR.log" 2>&1
    # kwok's node template declares no ephemeral storage; the pods request some.
    for node in $(kubectl get nodes -o name); do
        kubectl patch "$node" --subresource=status --type=merge \
            -p '{"status":{"capacity":{"ephemeral-storage":"100Gi"},"allocatable":{"ephemeral-storage":"100Gi"}}}' >/dev/null
    done
    step "installing the prometheus-operator CRDs (all of them: the operator waits for each)"
    local operator
    operator=$(cd tools/prometheus-operator && go mod download -json "github.com/prometheus-operator/prometheus-operator@$(go list -m -f '{{.Version}}' github.com/prometheus-operator/prometheus-operator)" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
    kubectl apply --server-side -f "$operator/example/prometheus-operator-crd/" >/dev/null
    kubectl wait --for condition=established --timeout=60s crd --all >/dev/null
    # Owned by the monitoring stack on a real cluster; the program puts dashboards and the
    # Alertmanager config there. Its name is the program's schema default.
    local monitoring
    monitoring=$(platform --namespace)
    kubectl create namespace "$monitoring" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
    start_operator "$monitoring"
    step "cluster $name up: export KUBECONFIG=$kubeconfig"
}

# kube-prometheus-stack's objects in `monitoring` (its Prometheus, its Alertmanager with the chart's
# config, and one pointed at the program's config Secret), from scripts/lib/kube-prometheus-stack.ts,
# which takes their names and labels from the program's schema defaults.
platform() { "$root/node_modules/.bin/ts-node" "$root/scripts/kube-prometheus-stack.ts" "$@"; }

start_operator() { # MONITORING_NAMESPACE
    local monitoring=$1
    [ -x "$bin/prometheus-operator" ] || { echo "missing $bin/prometheus-operator: run bash scripts/tools.sh" >&2; exit 1; }
    step "starting the prometheus-operator (log: .cluster/operator.log)"
    KUBECONFIG=$kubeconfig setsid "$bin/prometheus-operator" \
        --prometheus-instance-namespaces="$monitoring" --alertmanager-instance-namespaces="$monitoring" \
        --web.listen-address=127.0.0.1:18080 --log-format=json \
        >"$KWOK_WORKDIR/operator.log" 2>&1 </dev/null &
    echo $! >"$KWOK_WORKDIR/operator.pid"
    platform | kubectl apply -f - >/dev/null
    local waited=0 secret
    for secret in $(platform --generated); do
        until kubectl -n "$monitoring" get secret "$secret" >/dev/null 2>&1; do
            kill -0 "$(cat "$KWOK_WORKDIR/operator.pid")" 2>/dev/null || { cat "$KWOK_WORKDIR/operator.log" >&2; echo "the operator exited" >&2; exit 1; }
            [ $waited -lt 120 ] || { tail -20 "$KWOK_WORKDIR/operator.log" >&2; echo "no $secret after 120 s" >&2; exit 1; }
            sleep 1; waited=$((waited + 1))
        done
    done
    step "prometheus-operator generating the configs of $(platform --generated | tr '\n' ' ')"
}

down() {
    if [ -f "$KWOK_WORKDIR/operator.pid" ]; then
        kill "$(cat "$KWOK_WORKDIR/operator.pid")" 2>/dev/null || true
    fi
    if [ -x "$bin/kwokctl" ] && [ -d "$KWOK_WORKDIR/clusters/$name" ]; then
        "$bin/kwokctl" delete cluster --name "$name" >/dev/null 2>&1 || true
    fi
    rm -rf "$KWOK_WORKDIR" "$KWOK_WORKDIR.log"
    step "cluster $name down"
}

case "${1:-}" in
up) up ;;
down) down ;;
env) echo "export KUBECONFIG=$kubeconfig" ;;
*) echo "usage: $0 up|down|env" >&2; exit 2 ;;
esac
