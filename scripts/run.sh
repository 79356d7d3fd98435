#!/usr/bin/env bash
# Builds Portolan in release mode and serves it on http://127.0.0.1:3000 with
# the embedded SQLite database data/portolan.db (demo data on first start).
# Running it again keeps the data.
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

ensure_rust_tools
ensure_wasm_opt
say "building the portal (release)"
cargo leptos build --release --split

export PORTOLAN_DEMO_DATA="${PORTOLAN_DEMO_DATA:-1}"
say "starting Portolan at http://${PORTOLAN_ADDR:-127.0.0.1:3000}"
exec "$(target_dir)/release/portolan" "$@"
