#!/usr/bin/env bash
# Starts the whole Fleetline platform on this machine without Docker: a real Apache Kafka broker
# (KRaft), a throwaway PostgreSQL + PostGIS cluster, Mosquitto, and the four services, each as its
# own process, with state and logs under .local/. Run with --help for the options.
#
# This script holds the options, the settings and the order of the steps; what each step does is
# in deploy/local/lib/, one file per part (prerequisites, ports, processes, kafka, postgres,
# mosquitto, services, demo, summary). lib.sh holds what down.sh shares.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/local/up.sh [--detach] [--fresh] [--build] [--demo N] [--help]

Starts Fleetline on this machine without Docker: an Apache Kafka broker (KRaft, from the Maven
Central jars), a PostgreSQL + PostGIS cluster, Mosquitto, and fleet-api, ingest-service,
routing-service and analytics-service. When everything is healthy it creates a demo fleet (or reuses the one from the
last run), writes .local/fleetline.env and prints a walk-through.

  --detach   return once everything is healthy; stop it later with deploy/local/down.sh
  --fresh    wipe .local/ first: database, Kafka logs, secrets, demo fleet, logs
  --build    rebuild the services (./mvnw -q -DskipTests install) even if their jars exist
  --demo N   once everything is up, drive N simulated vehicles in real time (the simulator's demo
             mode, all five protocols) so the stack comes alive; it stops with the stack
             (log: .local/logs/simulator.log)
  -h, --help show this help

Without --detach, up.sh stays in the foreground: Ctrl-C stops everything it started, and so does
any part of the stack exiting on its own. If the stack is already running, up.sh prints its
settings and exits 0; with --fresh or --build it stops it and starts it anew.

Ports are the defaults (fleet-api 8080, ingest 8081, routing 8082, analytics 8083, OsmAnd 5055, Teltonika 5027,
CoAP 5683/udp and DTLS 5684/udp, MQTT 1883, Kafka 9092, PostgreSQL 5432) unless taken, in which
case free ones are picked and shown.
Missing Debian packages are installed when run as root; otherwise up.sh prints the command.

Environment:
  FLEETLINE_LOCAL_SKIP_SERVICES=1    start Kafka, PostgreSQL and Mosquitto only (for debugging the
                                     stack itself); .local/fleetline.env then has their keys only
  FLEETLINE_LOCAL_HEALTH_TIMEOUT=SEC how long to wait for the services to be ready (default 300)
  FLEETLINE_LOCAL_MQTT_MESSAGE_SIZE_LIMIT=BYTES
                                     Mosquitto's message_size_limit, also ingest's own payload
                                     limit: larger publishes are dropped (default 262144)
  JAVA_HOME                          the Java 17+ to use (default: java on the PATH)
EOF
}

DETACH=0
FRESH=0
BUILD=0
DEMO=0
SKIP_SERVICES="${FLEETLINE_LOCAL_SKIP_SERVICES:-0}"
HEALTH_TIMEOUT="${FLEETLINE_LOCAL_HEALTH_TIMEOUT:-300}"
MQTT_MESSAGE_SIZE_LIMIT="${FLEETLINE_LOCAL_MQTT_MESSAGE_SIZE_LIMIT:-262144}"
# ingest's broker account: the only one that may subscribe (see write_mosquitto_auth).
MQTT_INGEST_USER=fleetline-ingest

KAFKA_LIB="$SCRIPT_DIR/kafka/target/lib"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PG_BIN=''
MOSQUITTO=''

# Set once this run starts processes: from then on, leaving for any reason but a successful
# --detach (or down.sh stopping it) stops the stack again, so that a failed start leaves nothing
# behind.
STACK_OWNED=0
INTERRUPTED=0

declare -A PORT=()
PORT_NOTES=()

# The steps, one file per part of the stack; functions only, called in order by bring_up below.
# shellcheck source-path=SCRIPTDIR source=lib/prerequisites.sh
source "$SCRIPT_DIR/lib/prerequisites.sh"
# shellcheck source-path=SCRIPTDIR source=lib/ports.sh
source "$SCRIPT_DIR/lib/ports.sh"
# shellcheck source-path=SCRIPTDIR source=lib/processes.sh
source "$SCRIPT_DIR/lib/processes.sh"
# shellcheck source-path=SCRIPTDIR source=lib/kafka.sh
source "$SCRIPT_DIR/lib/kafka.sh"
# shellcheck source-path=SCRIPTDIR source=lib/postgres.sh
source "$SCRIPT_DIR/lib/postgres.sh"
# shellcheck source-path=SCRIPTDIR source=lib/mosquitto.sh
source "$SCRIPT_DIR/lib/mosquitto.sh"
# shellcheck source-path=SCRIPTDIR source=lib/services.sh
source "$SCRIPT_DIR/lib/services.sh"
# shellcheck source-path=SCRIPTDIR source=lib/demo.sh
source "$SCRIPT_DIR/lib/demo.sh"
# shellcheck source-path=SCRIPTDIR source=lib/summary.sh
source "$SCRIPT_DIR/lib/summary.sh"

# --- running -------------------------------------------------------------------------------------

expected_components() {
  printf '%s\n' "${INFRA[@]}"
  ((SKIP_SERVICES)) || printf '%s\n' "${SERVICES[@]}"
  ((SKIP_SERVICES || DEMO == 0)) || printf '%s\n' simulator
}

stack_complete() {
  local name
  for name in $(expected_components); do is_running "$name" || return 1; done
  [[ -f $ENV_FILE ]]
}

anything_running() {
  local name
  for name in "${EXTRAS[@]}" "${SERVICES[@]}" "${INFRA[@]}"; do is_running "$name" && return 0; done
  [[ -n "$(leftover_pids)" ]]
}

# --- main ----------------------------------------------------------------------------------------

# Everything from tidying up an earlier run to printing the summary. It runs as a background job
# in a process group of its own (see main), so that it can be stopped as a whole, build and all.
bring_up() {
  if anything_running; then
    say "stopping what is left of an earlier run"
    stop_stack || die "could not stop the earlier run's processes"
  fi
  if ((FRESH)); then
    say "wiping ${LOCAL_DIR#"$REPO_DIR"/}/"
    find "$LOCAL_DIR" -mindepth 1 -maxdepth 1 ! -name up.lock -exec rm -rf {} +
  fi
  mkdir -p "$LOG_DIR" "$PID_DIR"
  rm -f "$DOWN_MARKER"

  check_prerequisites
  ((SKIP_SERVICES)) || build_services
  resolve_kafka_jars
  choose_ports
  ((SKIP_SERVICES)) || ensure_secrets
  ensure_mqtt_secret

  raise_open_files_limit
  local started=$SECONDS
  start_kafka # starts in the background while PostgreSQL and Mosquitto come up
  start_postgres
  start_mosquitto
  wait_for_kafka
  say "infrastructure is up ($((SECONDS - started))s)"

  if ((!SKIP_SERVICES)); then
    API_URL="http://127.0.0.1:${PORT[api]}"
    TOKEN_URL="$API_URL/oauth2/token"
    start_services
    wait_for_services
    ensure_demo_fleet
    ensure_demo_users
  fi
  write_env_file
  ((SKIP_SERVICES || DEMO == 0)) || start_demo
  ((SKIP_SERVICES)) || say "everything is up ($((SECONDS - started))s)"
  print_summary
}

# Runs when up.sh ends, however that happens (Ctrl-C, TERM and HUP only set INTERRUPTED to the
# exit status, and up.sh then exits): stops the stack unless it is meant to stay up.
on_exit() {
  local status=$?
  [[ $BASHPID == "$$" ]] || return 0 # a subshell's exit is not up.sh's
  trap '' INT TERM HUP               # a second Ctrl-C must not cut the stopping short
  set +e
  if ((STACK_OWNED)) && anything_running; then
    echo
    say "stopping the stack"
    stop_stack
  fi
  exit "$status"
}

# Foreground: watch the processes until Ctrl-C, until down.sh stops them, or until one exits on
# its own (then the rest is stopped too, so that nothing half-working stays up).
watch_stack() {
  local -A watched=()
  local name pid
  for name in $(expected_components); do
    pid="$(running_pid "$name")" || fail_component "$name" "$name is not running"
    watched[$name]="$pid"
  done
  say "running in the foreground; press Ctrl-C to stop everything"
  while true; do
    # A background sleep, since `wait` returns at once when a trapped signal arrives.
    sleep 2 &
    wait $! || true
    ((!INTERRUPTED)) || exit "$INTERRUPTED"
    if [[ -e $DOWN_MARKER ]]; then
      say "deploy/local/down.sh is stopping the stack"
      STACK_OWNED=0
      exit 0
    fi
    for name in "${!watched[@]}"; do
      kill -0 "${watched[$name]}" 2>/dev/null && continue
      [[ -e $DOWN_MARKER ]] && continue 2
      show_log_tail "$name"
      die "$name exited unexpectedly"
    done
  done
}

main() {
  while (($# > 0)); do
    case "$1" in
      --detach | -d) DETACH=1 ;;
      --fresh) FRESH=1 ;;
      --build) BUILD=1 ;;
      --demo)
        [[ ${2:-} =~ ^[0-9]+$ ]] || {
          echo "--demo needs a number of vehicles" >&2
          exit 2
        }
        DEMO="$2"
        shift
        ;;
      -h | --help)
        usage
        exit 0
        ;;
      *)
        usage >&2
        exit 2
        ;;
    esac
    shift
  done
  [[ $SKIP_SERVICES == 1 ]] || SKIP_SERVICES=0

  mkdir -p "$LOCAL_DIR"
  # One up.sh at a time per checkout; the lock is dropped once the stack is up.
  exec 9>>"$LOCAL_DIR/up.lock"
  flock -n 9 || die "another deploy/local/up.sh is starting this stack right now"

  if ((!FRESH && !BUILD)) && stack_complete; then
    say "the stack is already running (stop it with deploy/local/down.sh); its settings, from ${ENV_FILE#"$REPO_DIR"/}:"
    grep -v '^#' "$ENV_FILE" | sed -e 's/^\(FLEETLINE_[A-Z_]*SECRET\)=.*/\1=(see the file)/' -e 's/^/    /'
    exit 0
  fi

  # The signals only set a flag: the work happens in bring_up, which runs as a background job in
  # a process group of its own (set -m), out of reach of the terminal's Ctrl-C, while this shell
  # just waits for it. On a signal, the whole group is ended: bring_up and whatever it is running
  # at that moment (a Maven build, a curl); the stack's processes run in sessions of their own
  # and are stopped in order by on_exit. Doing the work in this shell with a trap on INT would be
  # fragile: bash 5.2 may also run the trap in command substitutions' subshells, and fail there.
  trap 'INTERRUPTED=130' INT
  trap 'INTERRUPTED=143' TERM
  trap 'INTERRUPTED=129' HUP
  trap on_exit EXIT
  STACK_OWNED=1
  set -m
  bring_up </dev/null &
  local job=$!
  set +m
  local status=0
  while true; do
    status=0
    wait "$job" || status=$?
    kill -0 "$job" 2>/dev/null || break
    if ((INTERRUPTED)); then
      kill -TERM -- "-$job" 2>/dev/null || true
      wait "$job" || true
      exit "$INTERRUPTED"
    fi
  done
  ((status == 0)) || exit "$status"

  flock -u 9
  exec 9>&-
  if ((DETACH)); then
    STACK_OWNED=0
    echo
    say "detached; stop it with deploy/local/down.sh"
    exit 0
  fi
  watch_stack
}

main "$@"
