#!/usr/bin/env bash
# Stops the local stack that deploy/local/up.sh started (usually with --detach): the services, then
# Kafka, Mosquitto and PostgreSQL, and makes sure that no process of it is left. State in .local/
# is kept; `deploy/local/up.sh --fresh` wipes it.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

case "${1:-}" in
  -h | --help)
    echo "Usage: deploy/local/down.sh"
    echo "Stops the stack started by deploy/local/up.sh; its state in .local/ is kept."
    exit 0
    ;;
  '') ;;
  *)
    echo "Usage: deploy/local/down.sh" >&2
    exit 2
    ;;
esac

if [[ ! -d $LOCAL_DIR ]]; then
  say "nothing to stop (no ${LOCAL_DIR#"$REPO_DIR"/}/)"
  exit 0
fi

mkdir -p "$PID_DIR"
# Tells a foreground up.sh watching the stack that the processes are meant to end (it leaves
# quietly). The next up.sh removes the marker.
touch "$DOWN_MARKER"

found=0
for name in "${EXTRAS[@]}" "${SERVICES[@]}" "${INFRA[@]}"; do
  is_running "$name" && found=1
done
[[ -n "$(leftover_pids)" ]] && found=1
if ((!found)); then
  rm -f "$PID_DIR"/*.pid
  say "nothing is running"
  exit 0
fi

if stop_stack; then
  say "the stack is stopped; its state stays in ${LOCAL_DIR#"$REPO_DIR"/}/"
else
  die "some processes of the stack could not be stopped"
fi
