#!/usr/bin/env bash
# The benchmark: builds the release server and bundle, then measures ingest,
# search, catalog pages, load, memory and sizes on SQLite and PostgreSQL.
# Usage: bash bench/run.sh [--sizes 10000,100000] [--million] [--databases sqlite,postgres]
#        [--jsonl entities.jsonl]   (see bench/README.md)
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

ensure_rust_tools
ensure_wasm_opt
if ! command -v wrk >/dev/null; then
  say "installing wrk (the load generator) from Debian"
  as_root apt-get install -y -qq wrk >/dev/null
fi
say "building the release server and bundle"
cargo leptos build --release --split
say "authorization policy: cost of one decision"
cargo run --quiet --release --no-default-features --features ssr --example policy_decisions | tee "$(target_dir)/policy-decisions.jsonl"
export PORTOLAN_BIN="${PORTOLAN_BIN:-$(cd "$(target_dir)" && pwd)/release/portolan}"
# cargo-leptos writes the bundle to the site root of Cargo.toml (target/site).
export PORTOLAN_SITE="${PORTOLAN_SITE:-$PWD/target/site}"
exec python3 bench/bench.py "$@"
