# Sourced by scripts/run.sh and scripts/test.sh: installs what a fresh
# machine lacks, skipping every step that is already done. Versions and the
# reasons behind them are in the shared TOOLCHAIN.md.
set -euo pipefail

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

TOOLS_DIR="${PORTOLAN_TOOLS_DIR:-$HOME/.cache/portolan-tools}"
export PATH="$HOME/.cargo/bin:$PATH"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # Must equal the wasm-bindgen pinned in Cargo.toml, or hydration fails.
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "0.2.130" ]; then
    say "installing wasm-bindgen-cli 0.2.130 (about 2 minutes)"
    cargo install wasm-bindgen-cli --version 0.2.130 --force
  fi
  # no_downloads: use the tools on PATH instead of fetching binaries.
  if [ "$(cargo-leptos --version 2>/dev/null | awk '{print $2}')" != "0.3.10" ]; then
    say "installing cargo-leptos 0.3.10 (about 12 minutes, once)"
    cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads --force
  fi
}

# Debian's binaryen (108) breaks hydration; binaryen 132 from npm works.
ensure_wasm_opt() {
  if [ ! -x "$TOOLS_DIR/node_modules/.bin/wasm-opt" ]; then
    say "installing wasm-opt (npm binaryen 132) into $TOOLS_DIR"
    mkdir -p "$TOOLS_DIR"
    (cd "$TOOLS_DIR" && npm install --no-audit --no-fund --silent binaryen@132.0.0)
  fi
  export PATH="$TOOLS_DIR/node_modules/.bin:$PATH"
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

ensure_playwright() {
  if [ ! -x end2end/node_modules/.bin/playwright ] || [ ! -d end2end/node_modules/oidc-provider ]; then
    say "installing the Playwright test runner (no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

# Where cargo puts binaries (CI keeps its target folder outside the clone).
target_dir() { echo "${CARGO_TARGET_DIR:-target}"; }
