#!/usr/bin/env bash
# Refreshes the README's pictures in media/ (screenshot-tree.png, screenshot-send.png, screenshot-check.png):
# runs the UI tier, which takes them under test-results/vscode-VERSION/ui/readme/, and copies them to media/
# only when every UI test passed. The tests themselves never write media/.
#
#   npm run screenshots                         (on the newest tested VS Code)
#   TENDLC_EDITOR=oldest npm run screenshots    (on the oldest)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export TENDLC_EDITOR="${TENDLC_EDITOR:-newest}"
bash scripts/setup.sh
npm run --silent build
npm run --silent compile-tests
npm run --silent package >/dev/null
pictures="$(node -e 'console.log(require("./out/test/harness/paths").testResultsDir())')/ui/readme"
rm -rf "$pictures"
# CI set: a UI tier that cannot start fails here rather than skipping and leaving media/ as it was.
CI="${CI:-true}" node --test --test-reporter=spec out/test/ui/ || { echo "screenshots: the UI tier failed; media/ left as it was" >&2; exit 1; }
shopt -s nullglob
files=("$pictures"/*.png)
((${#files[@]})) || { echo "screenshots: the UI tier took no README pictures in $pictures" >&2; exit 1; }
for f in "${files[@]}"; do
  cp "$f" media/
  echo "screenshots: media/$(basename "$f") ($(node -e 'console.log(require("./out/test/harness/paths").editorLabel())'))"
done
