#!/usr/bin/env bash
# Runs every test: formatting, clippy for both builds, the Rust tests on
# SQLite and PostgreSQL, and the Playwright suite in headless chromium.
cd "$(dirname "$0")/.."
source scripts/toolchain.sh

ensure_rust_tools
ensure_wasm_opt
ensure_chromium
ensure_playwright

say "cargo fmt --check"
cargo fmt --all -- --check

say "module structure: no import circles, layers point down"
python3 scripts/import_cycles.py

say "clippy (server build)"
cargo clippy --features ssr --all-targets -- -D warnings
say "clippy (browser build)"
cargo clippy --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

say "Rust tests on SQLite and PostgreSQL (PORTOLAN_REQUIRE_PG=${PORTOLAN_REQUIRE_PG:-0})"
# One test at a time: each test has its own tokio runtime, and Leptos' SSR
# executor is process-global, so SSR tests on parallel runtimes can stall
# (a test-harness artifact: one server under concurrent load is unaffected).
cargo test --features ssr -- --test-threads 1

say "building the release server and bundle for the end-to-end suite"
cargo leptos build --release --split

say "Playwright end-to-end suite (headless chromium)"
export PORTOLAN_BIN="$PWD/$(target_dir)/release/portolan"
case "$(target_dir)" in /*) export PORTOLAN_BIN="$(target_dir)/release/portolan" ;; esac
(cd end2end && npx playwright test)
say "all tests passed"
