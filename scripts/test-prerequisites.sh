#!/usr/bin/env bash
# What `mvn -B test` needs besides Maven, installed when missing (Maven runs this before the tests):
#  - Debian's chromium and chromium-driver, for ServeBrowserTest (Selenium drives /usr/bin/chromium
#    through /usr/bin/chromedriver; nothing is downloaded at test time);
#  - the npm clients of src/test/node (the official `openai` package), installed with `npm ci` from
#    the committed package-lock.json into the folder given as $1, for ServeClientsTest.
# It fails loudly when it cannot install something: a browser test that silently skips is no test.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_DIR="${1:-$HERE/target/node-clients}"

fail() {
  echo "test-prerequisites: error: $*" >&2
  exit 1
}

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/chromedriver ]] || missing+=(chromium-driver)
if (( ${#missing[@]} > 0 )); then
  echo "test-prerequisites: installing ${missing[*]} with apt-get (the browser test needs them)" >&2
  command -v apt-get >/dev/null || fail "${missing[*]} missing and apt-get not found; install Debian's chromium and chromium-driver (or equivalent /usr/bin/chromium and /usr/bin/chromedriver)"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null \
      || fail "${missing[*]} missing; run as root or install them: sudo apt-get install -y chromium chromium-driver"
    SUDO=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq || fail "apt-get update failed"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium chromium-driver \
    || fail "apt-get install chromium chromium-driver failed"
  [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] \
    || fail "apt-get ran but /usr/bin/chromium or /usr/bin/chromedriver is still missing"
fi

command -v node >/dev/null || fail "node is missing (the npm client test needs Node.js 20 or later)"
command -v npm >/dev/null || fail "npm is missing (the npm client test needs it)"
SRC="$HERE/src/test/node"
mkdir -p "$NODE_DIR"
# npm ci starts from scratch every time; skip it while the installed tree matches the lock file.
if ! cmp -s "$SRC/package-lock.json" "$NODE_DIR/.installed-lock.json" 2>/dev/null \
    || [[ ! -d "$NODE_DIR/node_modules" ]]; then
  echo "test-prerequisites: npm ci in $NODE_DIR" >&2
  cp "$SRC/package.json" "$SRC/package-lock.json" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed in $NODE_DIR"
  cp "$SRC/package-lock.json" "$NODE_DIR/.installed-lock.json"
fi
cp "$SRC"/*.mjs "$NODE_DIR/"
