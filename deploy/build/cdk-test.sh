#!/bin/sh
# The build's CDK step (deploy/pom.xml, `verify`): install the pinned packages when needed, then compile and run the
# assertion tests on the synthesized templates. Offline once installed: synthesis makes no AWS call and no lookup.
set -eu
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "deploy: node or npm not found: the CDK app under deploy/ is NOT synthesized or tested; install Node.js 20+ and npm"
  if [ "${CI:-}" = "true" ]; then
    exit 1
  fi
  exit 0
fi
start=$(date +%s)
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "deploy: packages installed in $(pwd)/node_modules"
else
  npm ci --no-audit --no-fund --loglevel=error
fi
installed=$(date +%s)
npm test --silent
echo "deploy: npm ci $((installed - start)) s, synth and tests $(( $(date +%s) - installed )) s"
