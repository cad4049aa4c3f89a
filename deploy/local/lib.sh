# Shared by deploy/local/up.sh and deploy/local/down.sh: where the local stack keeps its state,
# and how its processes are recognised and stopped. Sourced, not run.
# shellcheck shell=bash disable=SC2034 # the settings below are used by up.sh and down.sh

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"

LOCAL_DIR="$REPO_DIR/.local"
LOG_DIR="$LOCAL_DIR/logs"
PID_DIR="$LOCAL_DIR/pids"
SECRETS_DIR="$LOCAL_DIR/secrets"
PG_DIR="$LOCAL_DIR/pg"
PG_DATA="$PG_DIR/data"
KAFKA_DIR="$LOCAL_DIR/kafka"
MQTT_DIR="$LOCAL_DIR/mosquitto"
ENV_FILE="$LOCAL_DIR/fleetline.env"
# down.sh leaves this behind (the next up.sh removes it), so that a foreground up.sh watching the
# processes knows that their ending is wanted.
DOWN_MARKER="$PID_DIR/.down-requested"

# Start order; they are stopped in the reverse order (ingest first, so no ping arrives meanwhile).
SERVICES=(fleet-api routing-service ingest-service analytics-service)
INFRA=(kafka postgres mosquitto)
# Started only on request (up.sh --demo), stopped with the stack.
EXTRAS=(simulator)

if [[ -t 1 ]]; then
  BOLD=$'\e[1m' RED=$'\e[31m' YELLOW=$'\e[33m' RESET=$'\e[0m'
else
  BOLD='' RED='' YELLOW='' RESET=''
fi

say() { printf '%s==>%s %s\n' "$BOLD" "$RESET" "$*"; }
warn() { printf '%swarning:%s %s\n' "$YELLOW" "$RESET" "$*" >&2; }
die() {
  printf '%serror:%s %s\n' "$RED" "$RESET" "$*" >&2
  exit 1
}

# Raises the open-file limit of this shell, and so of every process it launches, to the hard
# limit (at least 65536 where raising the hard limit is allowed), so that ingest and Mosquitto can
# hold 10,000+ device connections: a JVM raises its own soft limit, Mosquitto and PostgreSQL do not.
raise_open_files_limit() {
  local hard ceiling
  ceiling="$(cat /proc/sys/fs/nr_open 2>/dev/null || echo 1048576)"
  hard="$(ulimit -Hn)"
  [[ $hard == unlimited ]] && hard=$ceiling
  if ((hard < 65536)) && ulimit -Hn 65536 2>/dev/null; then
    hard=65536
  fi
  if ! ulimit -Sn "$hard" 2>/dev/null; then
    warn "could not raise the open-file limit to $hard (it stays $(ulimit -Sn))"
  elif ((hard < 65536)); then
    warn "the open-file limit is $hard (a higher one needs root): no process can hold more connections"
  fi
}

# PostgreSQL refuses to run as root, so as root every server-side command runs as the `postgres`
# system user (from the cluster's own directory, which that user can always enter).
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd "$PG_DIR" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# A string that the command line of each component's main process contains, and no other
# process's: the java processes carry a marker system property, Mosquitto and PostgreSQL the path
# of their configuration or data under this checkout's .local/.
marker_of() {
  case "$1" in
    postgres) printf '%s' "-D $PG_DATA" ;;
    mosquitto) printf '%s' "-c $MQTT_DIR/mosquitto.conf" ;;
    *) printf '%s' "-Dfleetline.local.component=$LOCAL_DIR:$1" ;;
  esac
}

# The command line of a process, arguments separated by spaces; empty if it is gone.
cmdline_of() {
  tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" || true
}

# Prints the pid of a component if its pid file names a live process that is really that component
# (a stale pid file after a crash may name a pid that the system has since reused).
running_pid() {
  local pid
  if [[ $1 == postgres ]]; then
    # The postmaster's own pid file is the authority; ours is a copy for down.sh's report.
    pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || cat "$PID_DIR/postgres.pid" 2>/dev/null || true)"
  else
    pid="$(cat "$PID_DIR/$1.pid" 2>/dev/null || true)"
  fi
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ "$(cmdline_of "$pid")" == *"$(marker_of "$1")"* ]] || return 1
  printf '%s' "$pid"
}

is_running() { running_pid "$1" >/dev/null; }

# Sends SIGTERM to the given components at once, waits up to $1 seconds for all of them to exit,
# then kills what is left with SIGKILL. Every component runs in its own session (see up.sh's
# launch), so SIGKILL goes to its whole process group.
stop_components() {
  local timeout="$1" name pid
  shift
  local -A pids=()
  for name in "$@"; do
    if pid="$(running_pid "$name")"; then
      pids[$name]="$pid"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  local deadline=$((SECONDS + timeout))
  while ((${#pids[@]} > 0)); do
    for name in "${!pids[@]}"; do
      if ! kill -0 "${pids[$name]}" 2>/dev/null; then
        say "stopped $name (pid ${pids[$name]})"
        unset "pids[$name]"
      fi
    done
    ((${#pids[@]} > 0)) || break
    if ((SECONDS >= deadline)); then
      for name in "${!pids[@]}"; do
        warn "$name (pid ${pids[$name]}) did not stop within ${timeout}s; killing it"
        kill -KILL -- "-${pids[$name]}" 2>/dev/null || kill -KILL "${pids[$name]}" 2>/dev/null || true
      done
      sleep 1
      break
    fi
    sleep 0.5
  done
  for name in "$@"; do
    rm -f "$PID_DIR/$name.pid"
  done
}

pg_bin_of_data() {
  local version
  version="$(cat "$PG_DATA/PG_VERSION" 2>/dev/null || true)"
  [[ -n $version && -x /usr/lib/postgresql/$version/bin/pg_ctl ]] || return 1
  printf '%s' "/usr/lib/postgresql/$version/bin"
}

# pg_ctl's fast shutdown (roll back open transactions, checkpoint, exit); SIGKILL to the
# postmaster's process group if that does not finish in time.
stop_postgres() {
  local pid bin
  pid="$(running_pid postgres)" || {
    rm -f "$PID_DIR/postgres.pid"
    return 0
  }
  if bin="$(pg_bin_of_data)" && as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
    say "stopped postgres (pid $pid)"
  else
    warn "postgres (pid $pid) did not stop within 30s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_DIR/postgres.pid"
}

# Every process that belongs to this checkout's stack, whether or not a pid file still names it:
# main processes by their command-line marker, PostgreSQL's backends and auxiliary processes
# (whose command lines PostgreSQL rewrites) by their working directory, the data directory.
leftover_pids() {
  local dir pid cmd name marker
  local -a markers=()
  for name in "${EXTRAS[@]}" "${SERVICES[@]}" "${INFRA[@]}"; do markers+=("$(marker_of "$name")"); done
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
    cmd="$(cmdline_of "$pid")"
    [[ -n $cmd ]] || continue
    for marker in "${markers[@]}"; do
      if [[ $cmd == *"$marker"* ]]; then
        printf '%s\n' "$pid"
        continue 2
      fi
    done
    if [[ "$(cat "$dir/comm" 2>/dev/null)" == postgres && "$(readlink "$dir/cwd" 2>/dev/null)" == "$PG_DATA" ]]; then
      printf '%s\n' "$pid"
    fi
  done
}

# Stops the whole stack in order: services, Kafka, Mosquitto, PostgreSQL; then makes sure that
# nothing of it is left. Returns non-zero if some process survived even SIGKILL.
stop_stack() {
  local -a reversed=()
  local i
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do reversed+=("${SERVICES[i]}"); done
  stop_components 10 "${EXTRAS[@]}"
  stop_components 30 "${reversed[@]}"
  stop_components 30 kafka
  stop_components 10 mosquitto
  stop_postgres

  local -a left
  mapfile -t left < <(leftover_pids)
  if ((${#left[@]} > 0)); then
    warn "killing leftover processes of the stack: ${left[*]}"
    kill -KILL "${left[@]}" 2>/dev/null || true
    sleep 1
    mapfile -t left < <(leftover_pids)
    if ((${#left[@]} > 0)); then
      warn "processes still alive: ${left[*]}"
      return 1
    fi
  fi
  return 0
}
