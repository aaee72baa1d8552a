#!/usr/bin/env bash
# The machine set-up every README command and CI run through (npm's pretest/predemo/prestart hooks,
# .ci/run): checks the tools npm cannot bring and installs the missing ones.
#   bash scripts/setup.sh [test|demo] [--check]
#     test (default): everything `npm test` needs: nats-server and the PostgreSQL server binaries
#                     (libs/devstack starts its own servers on free ports), and the offline ops
#                     checkers of scripts/check-ops.sh: promtool, amtool, docker-compose, kubectl.
#                     And Alertmanager itself (`prometheus-alertmanager`: tests start a real one),
#                     and pgrep (procps) for .ci/run's leftover-process check.
#     demo:           what `npm run demo` / `npm start` need: nats-server and PostgreSQL.
#     --check:        install nothing; exit 1 when something is missing.
# As root: `apt-get install` (non-interactive, --no-install-recommends) of the missing Debian
# packages, with a /usr/sbin/policy-rc.d that forbids starting their services (the tests never use
# a system NATS or PostgreSQL). Not root: one message with the exact command, exit 1.
# Honours NATS_SERVER_BIN and PG_BIN_DIR (as libs/devstack does); LEGWORK_SKIP_SETUP=1 skips it all
# (for a machine whose tools live elsewhere).
# docker-compose: Debian's Compose v1 (`config -q` interpolates .env.example and validates the file
# against the Compose schema); an npm compose-spec schema validator would need new dependencies
# and its own interpolation to be as strict. kubectl: never replaced; `kubernetes-client` (Debian's kubectl 1.20, kustomize v2.0.3) is
# installed only when neither kubectl nor kustomize exists.
set -euo pipefail

profile=test
check_only=false
for arg in "$@"; do
  case "$arg" in
    test | demo) profile="$arg" ;;
    --check) check_only=true ;;
    *) echo "usage: bash scripts/setup.sh [test|demo] [--check]" >&2; exit 2 ;;
  esac
done
if [[ "${LEGWORK_SKIP_SETUP:-}" == 1 ]]; then exit 0; fi

# ---- Node: what package.json's engines says (^20.19.0 || >=22.13.0) -------------------------------
node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit((a === 20 && b >= 19) || (a === 22 && b >= 13) || a > 22 ? 0 : 1)'
}
if ! command -v node >/dev/null || ! node_ok; then
  echo "setup: Node 22 LTS (>= 22.13) is required (20.19+ works for development), found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi

# ---- what is there -------------------------------------------------------------------------------
has_nats_server() {
  if [[ -n "${NATS_SERVER_BIN:-}" ]]; then [[ -x "$NATS_SERVER_BIN" ]] || command -v "$NATS_SERVER_BIN" >/dev/null; return; fi
  command -v nats-server >/dev/null 2>&1 || [[ -x /usr/sbin/nats-server ]]
}
has_initdb() {
  if [[ -n "${PG_BIN_DIR:-}" ]]; then [[ -x "$PG_BIN_DIR/initdb" ]]; return; fi
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}
has() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/bin/$1" || -x "/usr/sbin/$1" ]]; }

packages=()
has_nats_server || packages+=(nats-server)
has_initdb || packages+=(postgresql-server)
if [[ "$profile" == test ]]; then
  { has promtool && has prometheus; } || packages+=(prometheus) # promtool, and the server tests start
  { has amtool && { has prometheus-alertmanager || has alertmanager; }; } || packages+=(prometheus-alertmanager)
  has docker-compose || packages+=(docker-compose)
  has kubectl || has kustomize || packages+=(kubernetes-client)
  # pgrep: .ci/run's leftover-process check (a minimal Debian has no procps).
  has pgrep || packages+=(procps)
fi

if ((${#packages[@]} == 0)); then
  echo "setup ($profile): nats-server, PostgreSQL$([[ $profile == test ]] && echo ', promtool, amtool, prometheus-alertmanager, docker-compose, kubectl'): present"
  exit 0
fi

# PostgreSQL: production runs 15 (bookworm's); elsewhere the distribution's default.
apt_names() {
  local p
  for p in "${packages[@]}"; do
    if [[ "$p" == postgresql-server ]]; then
      if apt-cache show postgresql-15 >/dev/null 2>&1; then echo postgresql-15; else echo postgresql; fi
    else
      echo "$p"
    fi
  done
}

if [[ "$check_only" == true || "$(id -u)" != 0 ]]; then
  names="${packages[*]}"
  names="${names/postgresql-server/postgresql-15}"
  {
    echo "setup ($profile): missing ${names}."
    if [[ "$check_only" == true ]]; then
      echo "Install them with: sudo bash scripts/setup.sh $profile"
    else
      echo "Not root, so nothing was installed. Run this once, then the same npm command again:"
      echo "    sudo bash scripts/setup.sh $profile"
      echo "(it runs: apt-get update && apt-get install -y --no-install-recommends ${names}; or set"
      echo " NATS_SERVER_BIN / PG_BIN_DIR to your own binaries, or LEGWORK_SKIP_SETUP=1 to skip this check)"
    fi
  } >&2
  exit 1
fi

# ---- install as root -----------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
# Keep maintainer scripts from starting system services (invoke-rc.d and deb-systemd-invoke honour
# policy-rc.d exit code 101 = "action forbidden"); an existing policy is left as it is.
policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt_opts=(-o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
echo "setup ($profile): installing ${packages[*]} (apt-get, services not started)"
apt-get "${apt_opts[@]}" update -q </dev/null
mapfile -t names < <(apt_names)
apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "${names[@]}" </dev/null

missing=()
has_nats_server || missing+=(nats-server)
has_initdb || missing+=(initdb)
if [[ "$profile" == test ]]; then
  for tool in promtool prometheus amtool prometheus-alertmanager docker-compose; do has "$tool" || missing+=("$tool"); done
  has kubectl || has kustomize || missing+=(kubectl)
fi
if ((${#missing[@]} > 0)); then
  echo "setup ($profile): still missing after the install: ${missing[*]}" >&2
  exit 1
fi
echo "setup ($profile): installed ${names[*]}"
