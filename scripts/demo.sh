#!/usr/bin/env bash
# Runs the product: installs what is missing, builds and packages the extension, starts moto (seeded
# with sample accounts) and code-server with the .vsix installed, and prints the local URL.
#   bash scripts/demo.sh            # Get Started view leads you through choosing primary/secondaries
#   bash scripts/demo.sh --preset   # groups already set: go straight to Send Test SMS
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run --silent build
npm run --silent compile-tests
npm run --silent package >/dev/null
exec node out/test/harness/demo.js "$@"
