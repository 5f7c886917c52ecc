#!/usr/bin/env bash
# Runs every test tier and prints one "N passed, N failed" line per tier, then a total.
#   1. static checks  tsc --noEmit + eslint
#   2. unit           node --test over out/test/unit (core, AWS-layer pure parts, harness, seed against moto)
#   3. host           the mocha suite inside VS Code's extension host (code-server + headless Chromium), moto backend
#   4. ui             Playwright drives code-server with the packaged .vsix installed, moto backend
# Tiers 3 and 4 run once per editor of test/harness/editors.json (oldest and newest VS Code), each counted and
# labelled, e.g. "host (VS Code 1.100.3)" and "host (VS Code 1.139.1)"; TENDLC_EDITOR picks the editor of a run.
# Installs what is missing first (scripts/setup.sh; fast when everything is there).
# In CI (CI set) a tier that cannot start fails the run; locally it is skipped with a loud message.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh || { echo "setup failed"; echo "total: 0 passed, 1 failed"; exit 1; }

total_pass=0
total_fail=0
summary=()
record() { # record TIER PASSED FAILED SECONDS [NOTE]
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  summary+=("$(printf '%-24s %s passed, %s failed (%ss)%s' "$1:" "$2" "$3" "$4" "${5:+ $5}")")
}

step() { printf '\n==== %s ====\n' "$*"; }

step build
start=$SECONDS
if npm run --silent build && npm run --silent compile-tests && npm run --silent package >/dev/null; then
  record build 1 0 $((SECONDS - start))
else
  record build 0 1 $((SECONDS - start))
  printf '%s\n' "${summary[@]}"; echo "total: $total_pass passed, $((total_fail)) failed"; exit 1
fi

step "static checks (tsc, eslint)"
start=$SECONDS
if npx --no-install tsc -p . --noEmit && npx --no-install eslint src test; then record check 1 0 $((SECONDS - start)); else record check 0 1 $((SECONDS - start)); fi

# node --test tiers: count from the runner's own summary lines ("ℹ pass N", "ℹ fail N").
node_tier() { # node_tier NAME DIR
  local name=$1 dir=$2 log rc start=$SECONDS
  log=$(mktemp)
  node --test --test-reporter=spec "$dir" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -E '^ℹ pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^ℹ fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  p=${p:-0}; f=${f:-0}
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  echo "$name: $p passed, $f failed"
  record "$name" "$p" "$f" $((SECONDS - start)) "$(grep -q 'tier SKIPPED' "$log" && echo '(SKIPPED)')"
  rm -f "$log"
}

host_tier() { # host_tier NAME: the runner prints "NAME: N passed, N failed"
  local name=$1 log rc start=$SECONDS
  log=$(mktemp)
  node out/test/harness/runHost.js 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  local line p f
  line=$(grep -F "$name: " "$log" | grep -E ': [0-9]+ passed, [0-9]+ failed' | tail -1)
  p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"${line:-x: 0 passed, 1 failed}")
  f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"${line:-x: 0 passed, 1 failed}")
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  record "$name" "$p" "$f" $((SECONDS - start)) "$(grep -q 'tier SKIPPED' "$log" && echo '(SKIPPED)')"
  rm -f "$log"
}

step "unit tier"
node_tier unit out/test/unit/

# "4.100.3 1.100.3" per editor, oldest first.
mapfile -t editors < <(node -e 'for (const e of require("./test/harness/editors.json").editors) console.log(`${e.codeServer} ${e.vscode}`)')
for line in "${editors[@]}"; do
  read -r code_server vscode <<<"$line"
  export TENDLC_EDITOR=$code_server
  step "extension-host tier on VS Code $vscode (code-server $code_server + moto)"
  host_tier "host (VS Code $vscode)"
  step "UI tier on VS Code $vscode (Playwright + Chromium + code-server $code_server, packaged .vsix)"
  node_tier "ui (VS Code $vscode)" out/test/ui/
done
unset TENDLC_EDITOR

printf '\n==== summary ====\n'
printf '%s\n' "${summary[@]}"
echo "total: $total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 ]]
