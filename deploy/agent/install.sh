#!/bin/sh
# Installs the Vigil agent on a Linux machine as a systemd service, enrolled into the client and site
# of an enrollment token. Served by the collector at /install.sh with its address filled in:
#
#   curl -fsSL https://vigil.example.net/install.sh | sudo sh -s -- --token vge_...
#
# Running it again is harmless (it upgrades the agent and keeps its enrollment); --uninstall removes
# everything it created. Nothing is changed on the machine until the collector has answered, the
# agent has been downloaded and checked, and the token has been accepted; a failure after that point
# undoes what this run created.
set -eu

# Replaced by the collector when it serves this file; --server overrides it.
DEFAULT_SERVER='__VIGIL_PUBLIC_URL__'

SERVICE=vigil-agent
SERVICE_USER=vigil-agent
BIN=/usr/local/bin/vigil-agent
LIB_DIR=/opt/vigil-agent
STATE_DIR=/var/lib/vigil-agent
UNIT=/etc/systemd/system/vigil-agent.service
TOKEN_SHAPE='^vge_[A-Za-z0-9-]{1,64}_[A-Za-z0-9_-]{20,100}$'

usage() {
  cat <<'EOF'
Usage: install.sh --token vge_... [options]
       install.sh --uninstall [--prefix DIR] [--no-start]

Installs the Vigil agent as a systemd service and enrolls it with the token.

Options:
  --token TOKEN    enrollment token (vge_<id>_<secret>) from the Vigil API or dashboard
  --server URL     collector URL (default: the collector this script was downloaded from)
  --reenroll       enroll again even if this machine is already enrolled (e.g. to move it to
                   another site); the host keeps its identity
  --no-start       install and enroll, but do not enable or start the service
  --prefix DIR     install under DIR instead of / (staging and tests; implies --no-start);
                   also VIGIL_INSTALL_ROOT=DIR
  --uninstall      stop the service and remove everything the installer created
  -h, --help       show this help
EOF
}

# --- output and failure -------------------------------------------------------------------------

say() { printf '%s\n' "$*"; }
did() { DONE="${DONE}  - $*
"; }

# fail MESSAGE RETRY: RETRY says whether running the same command again can succeed.
fail() {
  printf 'vigil-agent install: %s\n' "$1" >&2
  case "${2:-}" in
    retry) printf '(this may be temporary: running the installer again can succeed)\n' >&2 ;;
    fix) printf '(running it again unchanged will fail the same way)\n' >&2 ;;
  esac
  exit 1
}

usage_error() {
  printf 'vigil-agent install: %s\n\n' "$1" >&2
  usage >&2
  exit 2
}

# --- arguments ----------------------------------------------------------------------------------

TOKEN=""
SERVER=""
PREFIX="${VIGIL_INSTALL_ROOT:-}"
START=1
MODE=install
REENROLL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --token) [ $# -ge 2 ] || usage_error "--token needs a value"; TOKEN=$2; shift 2 ;;
    --token=*) TOKEN=${1#*=}; shift ;;
    --server) [ $# -ge 2 ] || usage_error "--server needs a value"; SERVER=$2; shift 2 ;;
    --server=*) SERVER=${1#*=}; shift ;;
    --prefix) [ $# -ge 2 ] || usage_error "--prefix needs a value"; PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#*=}; shift ;;
    --no-start) START=0; shift ;;
    --reenroll) REENROLL=1; shift ;;
    --uninstall) MODE=uninstall; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done

if [ -n "$PREFIX" ]; then
  case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
  PREFIX=${PREFIX%/}
  # A staged root has no running systemd of its own.
  START=0
fi
R=$PREFIX

# --- platform -----------------------------------------------------------------------------------

# VIGIL_INSTALL_UNAME / VIGIL_INSTALL_ARCH stand in for uname in tests.
check_platform() {
  OS=${VIGIL_INSTALL_UNAME:-$(uname -s)}
  MACHINE=${VIGIL_INSTALL_ARCH:-$(uname -m)}
  case "$OS" in
    Linux) ;;
    Darwin) fail "this installer is for Linux. On macOS install the agent with launchd: see ${SERVER:-the collector}/downloads/com.vigil.agent.plist and the macOS section of deploy/README.md" fix ;;
    MINGW* | MSYS* | CYGWIN* | Windows*) fail "this installer is for Linux. On Windows run install.ps1 from the collector in an elevated PowerShell (see deploy/README.md)" fix ;;
    *) fail "unsupported operating system: $OS (the agent runs on Linux, Windows and macOS)" fix ;;
  esac
  case "$MACHINE" in
    x86_64 | amd64) ARCH=x64 ;;
    aarch64 | arm64) ARCH=arm64 ;;
    # Other architectures can still run the bundled agent on their own Node.js.
    *) ARCH="" ;;
  esac
}

need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is required but not installed ($2)" fix
}

# --- downloads ----------------------------------------------------------------------------------

# fetch URL FILE: prints the reason on stderr and returns non-zero on failure (HTTP errors included).
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 10 -o "$2" "$1"
  else
    wget -q -T 10 -t 3 -O "$2" "$1"
  fi
}

# HTTP status of URL, or 000 when the server cannot be reached.
http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -w '%{http_code}' --connect-timeout 10 "$1" || true
  else
    # wget says only how it failed: 8 is an HTTP error answer, anything else no answer at all.
    if wget -q -T 10 -t 1 -O /dev/null "$1" 2>/dev/null; then echo 200; elif [ $? = 8 ]; then echo 404; else echo 000; fi
  fi
}

# Downloads NAME from the collector into TMP and checks its SHA-256 when the collector publishes one.
download() {
  if ! fetch "$SERVER/downloads/$1" "$TMP/$1" 2>"$TMP/fetch.err"; then
    return 1
  fi
  if command -v sha256sum >/dev/null 2>&1 && fetch "$SERVER/downloads/$1.sha256" "$TMP/$1.sha256" 2>/dev/null; then
    (cd "$TMP" && sha256sum -c --status "$1.sha256") || fail "the download of $1 is corrupt (checksum mismatch)" retry
  fi
}

# Gets the agent: the single executable for this platform, else the bundle plus this machine's Node.
fetch_agent() {
  KIND=""
  if [ -n "$ARCH" ] && [ "$(http_status "$SERVER/downloads/vigil-agent-linux-$ARCH.sha256")" = 200 ]; then
    download "vigil-agent-linux-$ARCH" || fail "could not download the agent: $(cat "$TMP/fetch.err")" retry
    mv "$TMP/vigil-agent-linux-$ARCH" "$TMP/vigil-agent"
    chmod 0755 "$TMP/vigil-agent"
    AGENT_VERSION=$("$TMP/vigil-agent" --version 2>"$TMP/run.err") ||
      fail "the downloaded agent does not run on this machine: $(cat "$TMP/run.err")" fix
    KIND=binary
    return
  fi
  NODE=$(command -v node 2>/dev/null || true)
  if [ -z "$NODE" ] || ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' 2>/dev/null; then
    fail "the collector has no single-executable agent for linux-${ARCH:-$MACHINE}, and this machine has no Node.js 20 or newer to run the bundled one. Install Node.js 20+ (https://nodejs.org), or have the collector's operator run 'npm run build:agent-bin'" fix
  fi
  download vigil-agent.mjs || fail "could not download the agent: $(cat "$TMP/fetch.err")" retry
  AGENT_VERSION=$("$NODE" "$TMP/vigil-agent.mjs" --version 2>"$TMP/run.err") ||
    fail "the downloaded agent does not run with $NODE: $(cat "$TMP/run.err")" fix
  KIND=bundle
}

# --- undo on failure ----------------------------------------------------------------------------

# Paths this run created, newest first; removed again if the run fails.
CREATED=""
CREATED_USER=0
RESTORE_PROGRAM=""
DONE=""
TMP=""
SUCCESS=0

created() { CREATED="$1
$CREATED"; }

on_exit() {
  status=$?
  # Clean up as much as possible, whatever fails along the way.
  set +e
  if [ "$SUCCESS" != 1 ] && [ "$MODE" = install ]; then
    if [ -n "$CREATED" ] || [ "$CREATED_USER" = 1 ] || [ -n "$RESTORE_PROGRAM" ]; then
      printf 'vigil-agent install: undoing the changes of this run\n' >&2
    fi
    printf '%s' "$CREATED" | while IFS= read -r p; do
      if [ -n "$p" ]; then rm -rf "$p"; fi
    done
    if [ -n "$RESTORE_PROGRAM" ]; then mv -f "$TMP/previous-program" "$RESTORE_PROGRAM" 2>/dev/null || true; fi
    if [ "$CREATED_USER" = 1 ]; then delete_user; fi
  fi
  [ -n "$TMP" ] && rm -rf "$TMP"
  exit "$status"
}

# --- system user --------------------------------------------------------------------------------

# Runs useradd/userdel; with --prefix they act on $PREFIX/etc/passwd, so a staged root gets its own user.
user_tool() {
  tool=$1
  shift
  if [ -n "$R" ]; then "$tool" --root "$R" "$@"; else "$tool" "$@"; fi
}

user_exists() {
  grep -q "^$SERVICE_USER:" "$R/etc/passwd" 2>/dev/null
}

# uid:gid of the service user, from the passwd file of the (possibly staged) root.
user_ids() {
  awk -F: -v u="$SERVICE_USER" '$1 == u { print $3 ":" $4 }' "$R/etc/passwd"
}

create_user() {
  if [ ! -f "$R/etc/passwd" ]; then
    say "  (no $R/etc/passwd: user $SERVICE_USER not created, files stay owned by root)"
    return
  fi
  if user_exists; then return; fi
  shell=/usr/sbin/nologin
  [ -x "$shell" ] || shell=/sbin/nologin
  [ -x "$shell" ] || shell=/bin/false
  # A group of that name left behind (userdel keeps it on some systems) is reused, not an error.
  if grep -q "^$SERVICE_USER:" "$R/etc/group" 2>/dev/null; then set -- --gid "$SERVICE_USER"; else set -- --user-group; fi
  # Its warnings (a staged root has no nologin shell) would only confuse; errors are shown.
  user_tool useradd --system "$@" --no-create-home --home-dir "$STATE_DIR" \
    --shell "$shell" --comment "Vigil monitoring agent" "$SERVICE_USER" 2>"$TMP/useradd.err" ||
    fail "could not create the system user $SERVICE_USER: $(cat "$TMP/useradd.err")" fix
  CREATED_USER=1
  did "created system user $SERVICE_USER"
}

delete_user() {
  if user_exists; then
    user_tool userdel "$SERVICE_USER" >/dev/null 2>&1 || true
  fi
  # userdel removes the user's own group only where login.defs says USERGROUPS_ENAB yes.
  if grep -q "^$SERVICE_USER:" "$R/etc/group" 2>/dev/null; then
    user_tool groupdel "$SERVICE_USER" >/dev/null 2>&1 || true
  fi
}

# --- install ------------------------------------------------------------------------------------

systemd_running() {
  [ -d /run/systemd/system ]
}

install_agent() {
  [ -n "$TOKEN" ] || usage_error "--token is required (the enrollment token from the Vigil API or dashboard)"
  printf '%s' "$TOKEN" | grep -Eq "$TOKEN_SHAPE" ||
    fail "the token does not look like an enrollment token (vge_<id>_<secret>); copy it whole from the API or dashboard" fix
  SERVER=${SERVER:-$DEFAULT_SERVER}
  SERVER=${SERVER%/}
  printf '%s' "$SERVER" | grep -Eq '^https?://[A-Za-z0-9.:/_~%@+-]+$|^https?://\[[0-9A-Fa-f:.]+\](:[0-9]+)?(/[A-Za-z0-9./_~%-]*)?$' ||
    fail "no valid collector URL (got '$SERVER'): download this script from your collector, or pass --server https://..." fix
  check_platform
  if [ -z "$R" ] && [ "$(id -u)" != 0 ]; then
    fail "run the installer as root (curl ... | sudo sh -s -- --token ...)" fix
  fi
  if [ "$START" = 1 ] && ! systemd_running; then
    fail "systemd is not running on this machine; install with --no-start and run 'vigil-agent run' under your own service manager" fix
  fi
  command -v curl >/dev/null 2>&1 || need wget "install curl or wget"
  need useradd "install the passwd/shadow-utils package"
  need grep "install grep"
  need awk "install awk"

  TMP=$(mktemp -d)
  trap on_exit EXIT
  trap 'exit 130' INT TERM

  say "Installing the Vigil agent from $SERVER"
  status=$(http_status "$SERVER/healthz")
  if [ "$status" != 200 ]; then
    if [ "$status" = 000 ]; then
      fail "cannot reach the collector at $SERVER. Check the address and that this machine can reach it (DNS, firewall, proxy)" retry
    fi
    fail "the collector at $SERVER answered HTTP $status on /healthz instead of 200" retry
  fi

  fetch_agent
  fetch "$SERVER/downloads/vigil-agent.service" "$TMP/vigil-agent.service" 2>"$TMP/fetch.err" ||
    fail "could not download the service definition: $(cat "$TMP/fetch.err")" retry

  # Enroll before touching the machine: a refused token then leaves nothing behind.
  if [ -f "$R$STATE_DIR/credentials.json" ] && [ "$REENROLL" = 0 ]; then
    AGENT_ID=$(sed -n 's/.*"agentId": *"\([^"]*\)".*/\1/p' "$R$STATE_DIR/credentials.json")
    say "  already enrolled as agent $AGENT_ID (use --reenroll to enroll again)"
    enrolled_with=$(sed -n 's/.*"server": *"\([^"]*\)".*/\1/p' "$R$STATE_DIR/credentials.json")
    if [ "$enrolled_with" != "$SERVER" ]; then
      say "  note: it is enrolled with $enrolled_with, not $SERVER; --reenroll moves it to $SERVER"
    fi
    ENROLLED=0
  else
    mkdir -p "$TMP/state"
    if [ "$KIND" = binary ]; then
      set -- "$TMP/vigil-agent"
    else
      set -- "$NODE" "$TMP/vigil-agent.mjs"
    fi
    if ! "$@" enroll --server "$SERVER" --token "$TOKEN" --state-dir "$TMP/state" >"$TMP/enroll.out" 2>&1; then
      fail "enrollment failed: $(sed 's/^vigil-agent: //' "$TMP/enroll.out")" fix
    fi
    AGENT_ID=$(sed -n 's/.*"agentId": *"\([^"]*\)".*/\1/p' "$TMP/state/credentials.json")
    ENROLLED=1
  fi

  # From here on the machine changes; a failure undoes this run's changes (see on_exit).
  create_user

  if [ ! -d "$R$STATE_DIR" ]; then
    mkdir -p "$R$STATE_DIR"
    created "$R$STATE_DIR"
    did "created $STATE_DIR (mode 0700)"
  fi
  chmod 0700 "$R$STATE_DIR"
  if [ "$ENROLLED" = 1 ]; then
    [ -f "$R$STATE_DIR/credentials.json" ] || created "$R$STATE_DIR/credentials.json"
    cp "$TMP/state/credentials.json" "$R$STATE_DIR/credentials.json.new"
    chmod 0600 "$R$STATE_DIR/credentials.json.new"
    mv -f "$R$STATE_DIR/credentials.json.new" "$R$STATE_DIR/credentials.json"
    did "enrolled as agent $AGENT_ID; credentials in $STATE_DIR/credentials.json (mode 0600)"
  fi
  ids=$(user_ids 2>/dev/null || true)
  if [ -n "$ids" ]; then chown -R "$ids" "$R$STATE_DIR"; fi

  if [ ! -d "$R$LIB_DIR" ]; then
    mkdir -p "$R$LIB_DIR"
    created "$R$LIB_DIR"
  fi
  chmod 0755 "$R$LIB_DIR"
  if [ "$KIND" = binary ]; then program="$R$LIB_DIR/vigil-agent"; other="$R$LIB_DIR/vigil-agent.mjs"; else program="$R$LIB_DIR/vigil-agent.mjs"; other="$R$LIB_DIR/vigil-agent"; fi
  if [ "$KIND" = binary ]; then new="$TMP/vigil-agent"; mode=0755; else new="$TMP/vigil-agent.mjs"; mode=0644; fi
  if [ -f "$program" ] && cmp -s "$new" "$program"; then
    program_state="already installed"
  else
    if [ -f "$program" ]; then
      cp -p "$program" "$TMP/previous-program"
      RESTORE_PROGRAM=$program
      program_state="upgraded to"
    else
      program_state="installed"
    fi
    cp "$new" "$program.new"
    chmod "$mode" "$program.new"
    mv -f "$program.new" "$program"
  fi
  rm -f "$other"

  mkdir -p "$R$(dirname "$BIN")"
  [ -e "$R$BIN" ] || [ -L "$R$BIN" ] || created "$R$BIN"
  rm -f "$R$BIN"
  if [ "$KIND" = binary ]; then
    ln -s "$LIB_DIR/vigil-agent" "$R$BIN"
    did "$program_state vigil-agent $AGENT_VERSION (single executable) in $LIB_DIR, linked from $BIN"
  else
    # The bundle runs on this machine's Node.js, found now: services start with a short PATH.
    printf '#!/bin/sh\n# Installed by the Vigil agent installer: runs the bundled agent on Node.js.\nexec '"'"'%s'"'"' '"'"'%s'"'"' "$@"\n' "$NODE" "$LIB_DIR/vigil-agent.mjs" >"$R$BIN"
    chmod 0755 "$R$BIN"
    did "$program_state vigil-agent $AGENT_VERSION (bundle for Node.js at $NODE) in $LIB_DIR; command $BIN"
  fi

  mkdir -p "$R$(dirname "$UNIT")"
  if [ -f "$R$UNIT" ] && cmp -s "$TMP/vigil-agent.service" "$R$UNIT"; then
    unit_changed=0
  else
    [ -f "$R$UNIT" ] || created "$R$UNIT"
    cp "$TMP/vigil-agent.service" "$R$UNIT"
    chmod 0644 "$R$UNIT"
    unit_changed=1
    did "wrote the systemd unit $UNIT"
  fi

  if [ "$START" = 1 ]; then
    [ "$unit_changed" = 0 ] || systemctl daemon-reload
    systemctl enable "$SERVICE" >/dev/null 2>&1 || fail "systemctl enable $SERVICE failed" fix
    # restart, not start: a rerun must put the new binary and credentials to work.
    systemctl restart "$SERVICE" || fail "systemctl restart $SERVICE failed; see: journalctl -u $SERVICE" fix
    did "enabled and started the $SERVICE service"
  fi

  SUCCESS=1
  say "Done. The Vigil agent is installed:"
  printf '%s' "$DONE"
  if [ "$START" = 1 ]; then
    # Give it a few seconds to connect, then show its own account of how it is doing.
    i=0
    while [ $i -lt 10 ] && ! VIGIL_AGENT_STATE_DIR=$STATE_DIR "$BIN" status >/dev/null 2>&1; do
      sleep 1
      i=$((i + 1))
    done
    VIGIL_AGENT_STATE_DIR=$STATE_DIR "$BIN" status || say "(not connected yet: check 'journalctl -u $SERVICE')"
  else
    say "Not started (--no-start). Start it with: systemctl enable --now $SERVICE"
  fi
  say "Status: sudo vigil-agent status    Logs: journalctl -u $SERVICE    Remove: sh install.sh --uninstall"
}

# --- uninstall ----------------------------------------------------------------------------------

uninstall_agent() {
  if [ -z "$R" ] && [ "$(id -u)" != 0 ]; then
    fail "run the uninstaller as root (sudo)" fix
  fi
  AGENT_ID=""
  if [ -f "$R$STATE_DIR/credentials.json" ]; then
    AGENT_ID=$(sed -n 's/.*"agentId": *"\([^"]*\)".*/\1/p' "$R$STATE_DIR/credentials.json")
  fi
  if [ -z "$R" ] && systemd_running && [ -f "$UNIT" ]; then
    # Stopping first lets the agent tell the collector it is going away.
    systemctl disable --now "$SERVICE" >/dev/null 2>&1 || true
    did "stopped and disabled the $SERVICE service"
  fi
  for p in "$R$UNIT" "$R$BIN" "$R$LIB_DIR" "$R$STATE_DIR"; do
    if [ -e "$p" ] || [ -L "$p" ]; then
      rm -rf "$p"
      did "removed ${p#"$R"}"
    fi
  done
  if [ -z "$R" ] && systemd_running; then systemctl daemon-reload || true; fi
  if user_exists; then
    delete_user
    did "removed system user $SERVICE_USER"
  fi
  if [ -z "$DONE" ]; then
    say "Nothing to remove: the Vigil agent is not installed here."
    return
  fi
  say "The Vigil agent is uninstalled:"
  printf '%s' "$DONE"
  if [ -n "$AGENT_ID" ]; then
    say "The host stays in Vigil with its history; to stop counting it, revoke it: DELETE /api/v1/hosts/$AGENT_ID"
  fi
}

if [ "$MODE" = uninstall ]; then
  uninstall_agent
else
  install_agent
fi
