#!/usr/bin/env bash
# Offline checks of everything under ops/, k8s/, docker-compose.yml and the Dockerfile:
#   bash scripts/check-ops.sh            (from any directory; needs no network, no Docker engine,
#                                          no Kubernetes cluster)
# Tools: promtool (Debian `prometheus`), amtool (Debian `prometheus-alertmanager`), docker-compose
# (Debian `docker-compose`, Compose v1), nats-server (Debian), kubectl with kustomize (or a
# `kustomize` binary; KUSTOMIZE="kustomize build" to choose), Node with the dev dependencies
# yaml, typescript, kubernetes-models and @kubernetes-models/prometheus-operator.
# Prints one line per check and exits non-zero when any check fails (each failure's output is
# shown under its line).
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2
export PROMTOOL="${PROMTOOL:-promtool}"

passed=0
failed=0
failures=()
log="$(mktemp -d "${TMPDIR:-/tmp}/check-ops.XXXXXX")"
trap 'rm -rf "$log"' EXIT

# check NAME COMMAND...: runs COMMAND, prints "PASS NAME (Ns): <last line>" or "FAIL NAME" + output.
check() {
  local name="$1"
  shift
  local started=$SECONDS out="$log/out"
  if "$@" >"$out" 2>&1; then
    passed=$((passed + 1))
    printf 'PASS  %-50s %3ss  %s\n' "$name" "$((SECONDS - started))" "$(grep -v '^\s*$' "$out" | tail -n 1)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf 'FAIL  %-50s %3ss\n' "$name" "$((SECONDS - started))"
    sed 's/^/      | /' "$out"
  fi
}

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "missing tool: $1 ($2)"; return 1; }
}

# ---- tools ---------------------------------------------------------------------------------------
tools() {
  local ok=0
  need "$PROMTOOL" "sudo bash scripts/setup.sh, or set PROMTOOL" || ok=1
  need amtool "sudo bash scripts/setup.sh" || ok=1
  need docker-compose "sudo bash scripts/setup.sh (Debian docker-compose, Compose v1; no Docker engine needed)" || ok=1
  need node "Node >= 20.19" || ok=1
  if [[ -z "${KUSTOMIZE:-}" ]] && ! command -v kubectl >/dev/null && ! command -v kustomize >/dev/null; then
    echo "missing tool: kubectl or kustomize (sudo bash scripts/setup.sh)"
    ok=1
  fi
  node --input-type=module -e "
    for (const m of ['yaml', 'typescript', 'kubernetes-models/apps/v1/Deployment', '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule']) {
      try { await import(m); } catch { console.log('missing npm dev dependency: ' + m.split('/').slice(0, m.startsWith('@') ? 2 : 1).join('/') + ' (npm ci)'); process.exitCode = 1; }
    }
    if (typeof (await import('yaml').catch(() => ({}))).parseAllDocuments !== 'function') { console.log('npm dev dependency yaml must be 2.x (npm ci)'); process.exitCode = 1; }" || ok=1
  ((ok == 0)) && echo "$("$PROMTOOL" --version 2>&1 | head -n 1 | cut -d' ' -f1-3), $(docker-compose version --short 2>/dev/null | sed 's/^/docker-compose /'), $(kustomize_version)"
  return $ok
}

# ---- Kustomize renderer -----------------------------------------------------------------------------
kustomize_render() {
  if [[ -n "${KUSTOMIZE:-}" ]]; then
    # shellcheck disable=SC2086
    $KUSTOMIZE "$1"
  elif command -v kubectl >/dev/null; then
    kubectl kustomize "$1"
  else
    kustomize build "$1"
  fi
}
kustomize_version() {
  if [[ -n "${KUSTOMIZE:-}" ]]; then echo "KUSTOMIZE=$KUSTOMIZE"
  elif command -v kubectl >/dev/null; then kubectl version --client 2>/dev/null | grep -i kustomize | tr -d '\n' || echo "kubectl kustomize"
  else echo "kustomize $(kustomize version 2>/dev/null)"; fi
}

# ---- Prometheus ------------------------------------------------------------------------------------
prometheus_config() {
  "$PROMTOOL" check config ops/prometheus/prometheus.yml || return 1
  echo "prometheus.yml valid, its rule files load"
}
prometheus_rules() {
  "$PROMTOOL" check rules ops/prometheus/rules/*.yml || return 1
  echo "$(grep -cE '^\s*- (alert|record):' ops/prometheus/rules/*.yml | awk -F: '{n += $2} END {print n}') rules valid"
}
prometheus_tests() {
  "$PROMTOOL" test rules ops/prometheus/tests/*.yml || return 1
  local files=(ops/prometheus/tests/*.yml)
  echo "${#files[@]} unit test files pass"
}
alertmanager_config() {
  amtool check-config ops/prometheus/alertmanager.yml || return 1
  echo "alertmanager.yml valid"
}

# ---- NATS config: valid, and fsync on every write -------------------------------------------------
nats_config() {
  grep -Eq '^\s*sync_interval:\s*always\s*$' ops/nats/nats.conf || { echo "ops/nats/nats.conf: jetstream must set sync_interval: always"; return 1; }
  grep -Eq '^\s*image:\s*nats:2\.(1[0-9]|[2-9][0-9])' docker-compose.yml || { echo "docker-compose.yml: NATS image must be >= 2.10 (sync_interval)"; return 1; }
  local bin="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
  if [[ -x "$bin" ]]; then
    local conf="$log/nats.conf"
    # Debian's nats-server may be 2.9, which predates sync_interval: check everything else.
    if "$bin" --version | grep -Eq 'v2\.[0-9]\.'; then sed '/sync_interval/d' ops/nats/nats.conf >"$conf"; else cp ops/nats/nats.conf "$conf"; fi
    "$bin" -t -c "$conf" || return 1
    echo "ops/nats/nats.conf valid ($("$bin" --version)), sync_interval: always"
  else
    echo "ops/nats/nats.conf sets sync_interval: always (nats-server not installed: syntax not checked)"
  fi
}

# ---- docker-compose ----------------------------------------------------------------------------------
compose_config() {
  docker-compose --env-file .env.example -f docker-compose.yml config -q || return 1
  # Every variable the compose file requires is documented in .env.example.
  local missing=0 var
  while read -r var; do
    grep -Eq "^${var}=" .env.example || { echo "docker-compose.yml uses \${$var}, which .env.example does not list"; missing=1; }
  done < <(grep -oE '\$\{[A-Z_][A-Z0-9_]*(:?[?-][^}]*)?\}' docker-compose.yml | sed -E 's/^\$\{([A-Z0-9_]+).*/\1/' | sort -u)
  ((missing == 0)) || return 1
  # Every image the compose file builds is a real app, and the build files exist.
  local svc
  while read -r svc; do
    [[ -f "apps/$svc/src/main.ts" ]] || { echo "docker-compose.yml builds SERVICE=$svc but apps/$svc/src/main.ts does not exist"; missing=1; }
  done < <(grep -oE 'SERVICE: [a-z-]+' docker-compose.yml | cut -d' ' -f2 | sort -u)
  for f in Dockerfile .dockerignore ops/docker/healthcheck.js; do [[ -f "$f" ]] || { echo "missing $f"; missing=1; }; done
  node --check ops/docker/healthcheck.js || missing=1
  ((missing == 0)) || return 1
  echo "docker-compose.yml valid ($(docker-compose --env-file .env.example -f docker-compose.yml config --services | wc -l) services), .env.example complete"
}

# ---- Dockerfile: the runtime is a maintained Node LTS (22 or 24), as package.json's engines says -----
dockerfile_node() {
  local image
  image="$(grep -oE '^ARG NODE_IMAGE=\S+' Dockerfile | cut -d= -f2)"
  [[ "$image" =~ ^node:(22|24)[.-] ]] || { echo "Dockerfile: NODE_IMAGE=$image is not Node 22 or 24 LTS"; return 1; }
  echo "Dockerfile: $image"
}

# ---- Grafana ----------------------------------------------------------------------------------------
grafana_dashboard() { node ops/grafana/check-dashboard.js; }

# ---- Kubernetes ------------------------------------------------------------------------------------
prometheusrule_in_sync() { node ops/k8s/gen-prometheusrule.js --check; }
overlay() {
  local env="$1" out="$log/$1.yaml"
  kustomize_render "k8s/overlays/$env" >"$out" 2>"$log/$env.err" || { cat "$log/$env.err"; return 1; }
  node ops/k8s/validate-manifests.mjs --env "$env" "$out"
}

echo "==> check-ops: offline checks of ops/, k8s/, docker-compose.yml, Dockerfile"
check "tools" tools
check "promtool check config (prometheus.yml)" prometheus_config
check "promtool check rules" prometheus_rules
check "promtool test rules (every alert fires/quiet)" prometheus_tests
check "alerts: annotations, runbooks, test coverage" node ops/prometheus/check-alerts.mjs
check "amtool check-config (alertmanager.yml)" alertmanager_config
check "grafana dashboard (PromQL via promtool)" grafana_dashboard
check "nats.conf (JetStream fsync always)" nats_config
check "docker-compose config -q" compose_config
check "PrometheusRule generated from rules" prometheusrule_in_sync
check "Dockerfile on a supported Node LTS" dockerfile_node
check "k8s/platform/nats/values.yaml (NATS Helm chart)" node ops/k8s/check-nats-values.mjs
for env in dev staging prod; do
  check "k8s/overlays/$env: render + schema validation" overlay "$env"
done

echo "check-ops: ${passed} passed, ${failed} failed"
if ((failed > 0)); then
  echo "failed: ${failures[*]}" >&2
  exit 1
fi
