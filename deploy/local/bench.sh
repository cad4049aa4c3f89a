#!/usr/bin/env bash
# End-to-end benchmark: drives the local stack with the simulator's load mode and reports what
# the platform did with it — accepted and stored pings/s, received→stored latency percentiles (from
# the database's own received_at/stored_at), rejected pings, CPU and peak memory per process, and
# API query latencies measured while loaded. Prints the result and writes target/bench/result.json.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=60
VEHICLES=1000
RATE=10000
BATCH=100
KEEP=0

usage() {
  cat <<USAGE
Usage: deploy/local/bench.sh [--duration SECONDS] [--vehicles N] [--rate PINGS_PER_S] [--batch N] [--keep]

Uses the running local stack, or starts one (deploy/local/up.sh --detach) and stops it afterwards
unless --keep. Defaults: --duration $DURATION --vehicles $VEHICLES --rate $RATE (0 = as fast as
possible) --batch $BATCH. Result: target/bench/result.json.
USAGE
}

while (($#)); do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --vehicles) VEHICLES="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --batch) BATCH="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

OUT_DIR="$REPO_DIR/target/bench"
mkdir -p "$OUT_DIR"
STARTED_STACK=0

stack_ready() {
  [[ -f $LOCAL_DIR/fleetline.env ]] || return 1
  # shellcheck disable=SC1091
  (source "$LOCAL_DIR/fleetline.env" && curl -fsS "$FLEETLINE_API_URL/actuator/health/readiness" >/dev/null 2>&1 &&
    curl -fsS "$FLEETLINE_INGEST_URL/actuator/health/readiness" >/dev/null 2>&1)
}

if ! stack_ready; then
  say "starting the local stack"
  "$SCRIPT_DIR/up.sh" --detach
  STARTED_STACK=1
fi
cleanup() {
  if ((STARTED_STACK && !KEEP)); then
    "$SCRIPT_DIR/down.sh" >/dev/null || true
  fi
}
trap cleanup EXIT

# shellcheck disable=SC1091
source "$LOCAL_DIR/fleetline.env"
SIMULATOR="$(ls "$REPO_DIR"/simulator/target/simulator-*-exec.jar 2>/dev/null | head -n1 || true)"
if [[ -z $SIMULATOR ]]; then
  say "building the simulator"
  (cd "$REPO_DIR" && ./mvnw -q -DskipTests install -pl common,simulator)
  SIMULATOR="$(ls "$REPO_DIR"/simulator/target/simulator-*-exec.jar | head -n1)"
fi

# jdbc:postgresql://127.0.0.1:5432/fleetline -> psql arguments
db_hostport="${FLEETLINE_DB_URL#jdbc:postgresql://}"
db_name="${db_hostport#*/}"
db_hostport="${db_hostport%%/*}"
psql_q() {
  psql -X -q -t -A -h "${db_hostport%:*}" -p "${db_hostport#*:}" -U postgres -d "${db_name%%\?*}" -c "$1"
}

pid_of() { cat "$PID_DIR/$1.pid" 2>/dev/null || true; }
cpu_ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }

PROCESSES=("${SERVICES[@]}" "${INFRA[@]}")
declare -A CPU_BEFORE=()
for name in "${PROCESSES[@]}"; do
  pid="$(pid_of "$name")"
  [[ -n $pid ]] && CPU_BEFORE[$name]="$(cpu_ticks "$pid")"
done

T0="$(psql_q "SELECT now()")"
say "load: $VEHICLES vehicles, target ${RATE} pings/s, ${DURATION}s (simulator log: $OUT_DIR/simulator.log)"
java -Xmx1g -jar "$SIMULATOR" load --env-file "$LOCAL_DIR/fleetline.env" --vehicles "$VEHICLES" \
  --rate "$RATE" --duration "$DURATION" --batch "$BATCH" --interval 1 \
  --summary-file "$OUT_DIR/load.json" >"$OUT_DIR/simulator.log" 2>&1 &
SIM_PID=$!

# API query latencies while loaded: a token, then latest position reads and vehicle pages.
TOKEN="$(curl -fsS -u "$FLEETLINE_DEMO_CLIENT_ID:$FLEETLINE_DEMO_CLIENT_SECRET" \
  -d grant_type=client_credentials --data-urlencode 'scope=fleet.read fleet.write' \
  "$FLEETLINE_TOKEN_URL" | jq -r .access_token)"
API_TIMES="$OUT_DIR/api-times.txt"
: >"$API_TIMES"
sleep $((DURATION / 2 + 10)) # registration first, then the middle of the load phase
for _ in $(seq 1 50); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
    "$FLEETLINE_API_URL/api/v1/vehicles?limit=100" >>"$API_TIMES"
done
wait "$SIM_PID" || die "the simulator failed; see $OUT_DIR/simulator.log"

ACCEPTED="$(jq .accepted "$OUT_DIR/load.json")"
say "load done: $ACCEPTED pings accepted; waiting for them to be stored"
stored_since() { psql_q "SELECT count(*) FROM positions WHERE received_at >= '$T0'"; }
for _ in $(seq 1 120); do
  [[ "$(stored_since)" -ge "$ACCEPTED" ]] && break
  sleep 1
done

read -r STORED STORED_PER_S P50 P95 P99 <<<"$(psql_q "
  SELECT count(*),
         round(count(*) / greatest(extract(epoch FROM max(stored_at) - min(received_at)), 1)),
         round(1000 * percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))),
         round(1000 * percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))),
         round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at)))
  FROM positions WHERE received_at >= '$T0'" | tr '|' ' ')"

processes_json="{"
sep=""
ticks_per_s="$(getconf CLK_TCK)"
for name in "${PROCESSES[@]}"; do
  pid="$(pid_of "$name")"
  [[ -n $pid && -r /proc/$pid/status ]] || continue
  cpu_s="$(awk -v a="${CPU_BEFORE[$name]:-0}" -v b="$(cpu_ticks "$pid")" -v t="$ticks_per_s" 'BEGIN {printf "%.1f", (b - a) / t}')"
  peak_kb="$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
  # postgres: the postmaster only; its backends are separate processes
  processes_json+="$sep\"$name\":{\"cpuSeconds\":$cpu_s,\"peakRssMiB\":$((peak_kb / 1024))}"
  sep=","
done
processes_json+="}"
api_p50="$(sort -n "$API_TIMES" | awk '{a[NR]=$1} END {printf "%.1f", 1000 * a[int(NR * 0.5) + 1]}')"
api_p99="$(sort -n "$API_TIMES" | awk '{a[NR]=$1} END {i = int(NR * 0.99) + 1; if (i > NR) i = NR; printf "%.1f", 1000 * a[i]}')"

jq -n --argjson load "$(cat "$OUT_DIR/load.json")" --argjson processes "$processes_json" \
  --arg stored "$STORED" --arg storedPerSecond "$STORED_PER_S" \
  --arg p50 "$P50" --arg p95 "$P95" --arg p99 "$P99" --arg apiP50 "$api_p50" --arg apiP99 "$api_p99" \
  '{acceptedPerSecond: $load.acceptedPerSecond, storedPerSecond: ($storedPerSecond | tonumber),
    stored: ($stored | tonumber), accepted: $load.accepted, rejected: $load.rejected,
    failedUploads: $load.failedRequests,
    latencyP50Ms: ($p50 | tonumber), latencyP95Ms: ($p95 | tonumber), latencyP99Ms: ($p99 | tonumber),
    apiLatencyMs: {vehiclesPageP50: ($apiP50 | tonumber), vehiclesPageP99: ($apiP99 | tonumber)},
    processes: $processes, load: $load}' >"$OUT_DIR/result.json"
cat "$OUT_DIR/result.json"
