#!/usr/bin/env bash
# Runs a command with Node.js >= 22.13 (Hardhat 3 needs it) and with the project's
# dependencies installed by that Node, so a machine that only has Node 20 works too.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if ! node_ok; then
  cache=".node22"
  if [ ! -x "$cache/bin/node" ]; then
    echo "custos: Node $(node --version 2>/dev/null || echo none) is too old; fetching Node 22 from the npm registry" >&2
    found="$(npx -y -p node@22 -- sh -c 'command -v node')"
    mkdir -p "$cache/bin"
    ln -sf "$(readlink -f "$found")" "$cache/bin/node"
  fi
  export PATH="$PWD/$cache/bin:$PATH"
fi

# Install (or repair) dependencies with the Node chosen above: npm under Node 20 skips
# Hardhat's native EDR package, which declares node >= 22.
if [ ! -d node_modules/@nomicfoundation/edr ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || ! ls node_modules/@nomicfoundation/ | grep -q '^edr-'; then
  echo "custos: installing dependencies with Node $(node --version)" >&2
  npm install --no-audit --no-fund >&2
fi

exec "$@"
