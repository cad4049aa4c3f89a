# Sourced by deploy/local/up.sh (functions only): launching a component in a session of its own,
# waiting for its port, and showing its log when it fails.
# launch writes to LAUNCH_LOG instead of .local/logs/<name>.log when that is set.
# shellcheck shell=bash

rotate_log() {
  if [[ -s $1 ]]; then mv -f "$1" "$1.1"; fi
  : >"$1"
}

# Starts a component in the background, in a session of its own: a Ctrl-C in the terminal then
# reaches only up.sh, which stops everything in order, and a --detach'ed stack survives the
# terminal closing. The child writes its own pid file before exec'ing the command, since $! would
# name setsid when setsid has to fork. fd 9 (up.sh's lock) is not passed on.
launch() {
  local name="$1" pidfile="$PID_DIR/$1.pid" log="${LAUNCH_LOG:-$LOG_DIR/$1.log}"
  shift
  rotate_log "$log"
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ belong to the child shell
  setsid bash -c 'echo $$ >"$0" && exec "$@"' "$pidfile" "$@" </dev/null >>"$log" 2>&1 9>&- &
  disown
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "$name did not start; see $log"
}

show_log_tail() {
  local log
  for log in "$LOG_DIR/$1.log" "$LOG_DIR/$1.out.log"; do
    [[ -s $log ]] || continue
    printf -- '--- last lines of %s ---\n' "${log#"$REPO_DIR"/}" >&2
    tail -n 40 "$log" >&2
    printf -- '---\n' >&2
  done
}

fail_component() {
  show_log_tail "$1"
  die "$2"
}

wait_for_port() {
  local name="$1" port="$2" timeout="$3"
  local deadline=$((SECONDS + timeout))
  until port_open "$port"; do
    is_running "$name" || fail_component "$name" "$name exited during start-up"
    ((SECONDS < deadline)) || fail_component "$name" "$name did not open port $port within ${timeout}s"
    sleep 0.5
  done
}
