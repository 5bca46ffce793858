#!/usr/bin/env bash
# Run every test of Nigehban on a fresh machine: installs what is missing (PostgreSQL and Chromium
# from Debian, playwright-core from npm), checks formatting and lints, runs the Rust tests with the
# storage suite on SQLite AND a real PostgreSQL server started here, then the browser tests in
# headless Chromium against both backends. A missing PostgreSQL fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

need_apt=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  step "installing ${need_apt[*]} (Debian packages)"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

step "formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "starting PostgreSQL"
pgdir=$(mktemp -d /tmp/nigehban-pg.XXXXXX)
pgport=$(( 20000 + RANDOM % 20000 ))
cleanup() { scripts/postgres.sh stop "$pgdir/data" || true; rm -rf "$pgdir"; }
trap cleanup EXIT
chmod 755 "$pgdir"
NIGEHBAN_TEST_POSTGRES_URL=$(scripts/postgres.sh start "$pgdir/data" "$pgport")
export NIGEHBAN_TEST_POSTGRES_URL
echo "PostgreSQL at $NIGEHBAN_TEST_POSTGRES_URL"

step "Rust tests (storage conformance on SQLite and PostgreSQL)"
cargo test --workspace --locked

step "browser tests (headless Chromium)"
cargo build --locked -p nigehban-cli
(cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
export NIGEHBAN_BIN="$root/target/debug/nigehban"
mkdir -p e2e/test-results
echo "-- on SQLite"
(cd e2e && npm test)
echo "-- on PostgreSQL"
# Each server the tests start gets a database of its own on this server (and a key of its own).
NIGEHBAN_E2E_POSTGRES_URL="$NIGEHBAN_TEST_POSTGRES_URL" bash -c 'cd e2e && npm test'

step "all tests passed"
