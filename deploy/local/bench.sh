#!/usr/bin/env bash
# End-to-end benchmark: drives the local stack with the simulator — its load mode (batches), or
# with --devices-mode its devices mode (one ping per message, as real devices send) — and reports
# what the platform did within the simulator's measured window: stored pings/s, received→stored
# latency percentiles (from the database's own received_at/stored_at), CPU per process and per
# stored ping, peak memory, and API query latencies measured while loaded. Prints the result and
# writes target/bench/result.json.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION=60
VEHICLES=1000
RATE=10000
BATCH=100
KEEP=0
DEVICES_MODE=0
INTERVAL=""
PROTOCOLS=""
CONNECTIONS=""
WARMUP=20
declare -a LOAD_ONLY=() DEVICES_ONLY=()

usage() {
  cat <<USAGE
Usage: deploy/local/bench.sh [--duration SECONDS] [--vehicles N] [--rate PINGS_PER_S] [--batch N] [--keep]
       deploy/local/bench.sh --devices-mode [--vehicles N] [--protocols MIX] [--interval SECONDS]
                             [--connections C] [--duration SECONDS] [--warmup SECONDS] [--keep]

Uses the running local stack, or starts one (deploy/local/up.sh --detach) and stops it afterwards
unless --keep. Result: target/bench/result.json; the simulator's log and summary beside it.

Load mode (default): vehicles upload --batch pings at a time, paced to --rate overall.
Defaults: --duration $DURATION --vehicles $VEHICLES --rate $RATE (0 = as fast as possible)
--batch $BATCH. The window is the simulator's sending phase.

--devices-mode: one ping per message with event time now, as real devices send.
  --protocols MIX      device protocols, e.g. osmand=1 or osmand=0.4,mqtt=0.3,teltonika=0.3
                       (default osmand=1)
  --interval SECONDS   each device on its own connection pings every SECONDS (default 1)
  --connections C      instead: the closed loop, the devices taking turns on C kept-alive
                       connections, each sending its next request when the last is answered
                       (osmand or http only)
  --warmup SECONDS     after every device was acknowledged once, before the window (default $WARMUP)
  --duration SECONDS   the measured window (default $DURATION)
  --vehicles N         devices (default $VEHICLES); registering many takes a while, outside the window

Accounting: CPU is sampled when the simulator opens its window and when it closes it. Per process
(the three services, Kafka, Mosquitto, PostgreSQL with all its processes, the simulator): CPU
seconds in the window, CPU µs per stored ping, peak RSS; stored pings are the rows whose
received_at lies in the window, counted once everything acknowledged has been stored (or after
120 s). The simulator's own figure of its CPU is in its summary, embedded as "simulator".
USAGE
}

while (($#)); do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --vehicles) VEHICLES="$2"; shift 2 ;;
    --rate) RATE="$2"; LOAD_ONLY+=("$1"); shift 2 ;;
    --batch) BATCH="$2"; LOAD_ONLY+=("$1"); shift 2 ;;
    --devices-mode) DEVICES_MODE=1; shift ;;
    --interval) INTERVAL="$2"; DEVICES_ONLY+=("$1"); shift 2 ;;
    --protocols) PROTOCOLS="$2"; DEVICES_ONLY+=("$1"); shift 2 ;;
    --connections) CONNECTIONS="$2"; DEVICES_ONLY+=("$1"); shift 2 ;;
    --warmup) WARMUP="$2"; DEVICES_ONLY+=("$1"); shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
if ((DEVICES_MODE)); then
  ((${#LOAD_ONLY[@]} == 0)) || die "${LOAD_ONLY[*]}: load mode only (not with --devices-mode)"
  [[ -z $INTERVAL || -z $CONNECTIONS ]] || die "--interval and --connections exclude each other"
else
  ((${#DEVICES_ONLY[@]} == 0)) || die "${DEVICES_ONLY[*]}: only with --devices-mode"
fi

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
SIM_PID=""
cleanup() {
  if [[ -n $SIM_PID ]] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill "$SIM_PID" 2>/dev/null || true
  fi
  if ((STARTED_STACK && !KEEP)); then
    "$SCRIPT_DIR/down.sh" >/dev/null || true
  fi
}
trap cleanup EXIT

# shellcheck disable=SC1091
source "$LOCAL_DIR/fleetline.env"
SIMULATOR="$(ls "$REPO_DIR"/simulator/target/simulator-*-exec.jar 2>/dev/null | head -n1 || true)"
# A jar from before the devices mode is rebuilt too.
if [[ -z $SIMULATOR ]] || ! java -jar "$SIMULATOR" devices --help 2>/dev/null | grep -q -- '--window-file'; then
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

# --- CPU and memory of the processes --------------------------------------------------------------

TICKS_PER_S="$(getconf CLK_TCK)"

# utime + stime of a process, and with "children" also cutime + cstime (the CPU of its children
# that ended and were waited for), in clock ticks; 0 if it is gone. The fields follow the command
# name, which is in parentheses and may hold spaces.
proc_ticks() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  local -a f
  read -r -a f <<<"${stat##*) }" # f[0] is field 3 (state): utime is field 14, f[11]
  if [[ ${2:-} == children ]]; then
    echo $((f[11] + f[12] + f[13] + f[14]))
  else
    echo $((f[11] + f[12]))
  fi
}

# The processes a component is made of: PostgreSQL is its postmaster and every child (backends,
# WAL writer, checkpointer, autovacuum...); the others are one process each.
pids_of() {
  local pid
  if [[ $1 == simulator ]]; then
    [[ -n $SIM_PID ]] && echo "$SIM_PID"
    return 0
  fi
  pid="$(running_pid "$1")" || return 0
  echo "$pid"
  if [[ $1 == postgres ]]; then
    ps --ppid "$pid" -o pid= 2>/dev/null | tr -d ' ' || true
  fi
}

# CPU ticks of a component so far. The postmaster's cutime/cstime hold the CPU of its children that
# ended and were reaped, so a backend that ends within the window is still counted; a child alive
# at both samples counts with its own utime/stime.
component_ticks() {
  local total=0 pid first=1
  while read -r pid; do
    [[ -n $pid ]] || continue
    if ((first)) && [[ $1 != simulator ]]; then
      total=$((total + $(proc_ticks "$pid" children)))
    else
      total=$((total + $(proc_ticks "$pid")))
    fi
    first=0
  done < <(pids_of "$1")
  echo "$total"
}

# Peak resident memory in MiB: the largest VmHWM among the component's processes (PostgreSQL's
# processes share their buffers, so a sum would count them many times).
component_peak_mib() {
  local peak=0 pid kb
  while read -r pid; do
    [[ -n $pid ]] || continue
    kb="$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    ((${kb:-0} > peak)) && peak=$kb
  done < <(pids_of "$1")
  echo $((peak / 1024))
}

PROCESSES=("${SERVICES[@]}" "${INFRA[@]}" simulator)
declare -A CPU_START=() CPU_END=() PEAK_MIB=()
sample_cpu() { # start|end
  local name
  for name in "${PROCESSES[@]}"; do
    if [[ $1 == start ]]; then
      CPU_START[$name]="$(component_ticks "$name")"
    else
      CPU_END[$name]="$(component_ticks "$name")"
      PEAK_MIB[$name]="$(component_peak_mib "$name")"
    fi
  done
}

# Waits for the simulator to write "<edge> <epochMillis>" into the window file; prints the time.
WINDOW_FILE="$OUT_DIR/window"
await_window() {
  local line
  while true; do
    line="$(grep -m1 "^$1 " "$WINDOW_FILE" 2>/dev/null || true)"
    if [[ -n $line ]]; then
      echo "${line#"$1 "}"
      return 0
    fi
    kill -0 "$SIM_PID" 2>/dev/null || die "the simulator ended before its window's $1; see $OUT_DIR/simulator.log"
    sleep 0.2
  done
}

# --- the run ----------------------------------------------------------------------------------------

raise_open_files_limit
: >"$WINDOW_FILE"
if ((DEVICES_MODE)); then
  SUMMARY="$OUT_DIR/devices.json"
  sim_args=(devices --vehicles "$VEHICLES" --protocols "${PROTOCOLS:-osmand=1}"
    --duration "$DURATION" --warmup "$WARMUP")
  if [[ -n $CONNECTIONS ]]; then
    sim_args+=(--connections "$CONNECTIONS")
    say "devices, closed loop: $VEHICLES devices (${PROTOCOLS:-osmand=1}) on $CONNECTIONS connections, window ${DURATION}s"
  else
    sim_args+=(--interval "${INTERVAL:-1}")
    say "devices: $VEHICLES devices (${PROTOCOLS:-osmand=1}), a ping every ${INTERVAL:-1}s each, window ${DURATION}s"
  fi
else
  SUMMARY="$OUT_DIR/load.json"
  sim_args=(load --vehicles "$VEHICLES" --rate "$RATE" --duration "$DURATION" --batch "$BATCH" --interval 1)
  say "load: $VEHICLES vehicles, target ${RATE} pings/s, ${DURATION}s"
fi
say "simulator log: $OUT_DIR/simulator.log"
rm -f "$SUMMARY"
java -Xmx1g -jar "$SIMULATOR" "${sim_args[@]}" --env-file "$LOCAL_DIR/fleetline.env" \
  --summary-file "$SUMMARY" --window-file "$WINDOW_FILE" >"$OUT_DIR/simulator.log" 2>&1 &
SIM_PID=$!

# API query latencies while loaded: a token now, the reads in the middle of the window.
TOKEN="$(curl -fsS -u "$FLEETLINE_DEMO_CLIENT_ID:$FLEETLINE_DEMO_CLIENT_SECRET" \
  -d grant_type=client_credentials --data-urlencode 'scope=fleet.read fleet.write' \
  "$FLEETLINE_TOKEN_URL" | jq -r .access_token)"
API_TIMES="$OUT_DIR/api-times.txt"
: >"$API_TIMES"
# The same reads once before the window: a long-running fleet-api has compiled this path long
# ago, and compiling it inside the window would bill the JIT to the pings measured there.
for _ in $(seq 1 200); do
  curl -s -o /dev/null -H "Authorization: Bearer $TOKEN" "$FLEETLINE_API_URL/api/v1/vehicles?limit=100"
done

WINDOW_START="$(await_window start)"
sample_cpu start
say "window open (registration and warm-up done)"
sleep $((DURATION / 2))
for _ in $(seq 1 50); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
    "$FLEETLINE_API_URL/api/v1/vehicles?limit=100" >>"$API_TIMES"
done
WINDOW_END="$(await_window end)"
sample_cpu end
say "window closed"
wait "$SIM_PID" || die "the simulator failed; see $OUT_DIR/simulator.log"
SIM_PID=""
[[ -s $SUMMARY ]] || die "the simulator wrote no summary; see $OUT_DIR/simulator.log"

if ((DEVICES_MODE)); then
  ACKNOWLEDGED="$(jq .acknowledged "$SUMMARY")"
else
  ACKNOWLEDGED="$(jq .accepted "$SUMMARY")"
fi
IN_WINDOW="received_at >= to_timestamp($WINDOW_START / 1000.0) AND received_at < to_timestamp($WINDOW_END / 1000.0)"
say "$ACKNOWLEDGED pings acknowledged in the window; waiting for them to be stored"
stored_since_start() { psql_q "SELECT count(*) FROM positions WHERE received_at >= to_timestamp($WINDOW_START / 1000.0)"; }
for _ in $(seq 1 120); do
  [[ "$(stored_since_start)" -ge "$ACKNOWLEDGED" ]] && break
  sleep 1
done

WINDOW_S="$(awk -v a="$WINDOW_START" -v b="$WINDOW_END" 'BEGIN {printf "%.3f", (b - a) / 1000}')"
read -r STORED LAST_STORED P50 P95 P99 <<<"$(psql_q "
  SELECT count(*),
         coalesce(round(1000 * extract(epoch FROM max(stored_at))), 0),
         coalesce(round(1000 * percentile_cont(0.50) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))), 0),
         coalesce(round(1000 * percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))), 0),
         coalesce(round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM stored_at - received_at))), 0)
  FROM positions WHERE $IN_WINDOW" | tr '|' ' ')"

per_stored() { # cpu seconds -> µs per stored ping
  awk -v s="$1" -v n="$STORED" 'BEGIN {printf "%.1f", (n > 0 ? s * 1e6 / n : 0)}'
}
processes_json="{"
sep=""
total_s=0
for name in "${PROCESSES[@]}"; do
  [[ -n ${CPU_END[$name]:-} ]] || continue
  cpu_s="$(awk -v a="${CPU_START[$name]:-0}" -v b="${CPU_END[$name]}" -v t="$TICKS_PER_S" 'BEGIN {printf "%.2f", (b - a) / t}')"
  if [[ $name == simulator ]] && ((CPU_END[$name] < CPU_START[$name])); then
    # It ended before the window's end could be sampled: its own count of the window instead.
    cpu_s="$(jq .generatorCpuSeconds "$SUMMARY")"
  fi
  [[ $name == simulator ]] || total_s="$(awk -v a="$total_s" -v b="$cpu_s" 'BEGIN {printf "%.2f", a + b}')"
  processes_json+="$sep\"$name\":{\"cpuSeconds\":$cpu_s,\"cpuMicrosPerStoredPing\":$(per_stored "$cpu_s"),\"peakRssMiB\":${PEAK_MIB[$name]:-0}}"
  sep=","
done
processes_json+="}"
api_p50="$(sort -n "$API_TIMES" | awk '{a[NR]=$1} END {printf "%.1f", 1000 * a[int(NR * 0.5) + 1]}')"
api_p99="$(sort -n "$API_TIMES" | awk '{a[NR]=$1} END {i = int(NR * 0.99) + 1; if (i > NR) i = NR; printf "%.1f", 1000 * a[i]}')"

jq -n --argjson sim "$(cat "$SUMMARY")" --argjson processes "$processes_json" \
  --arg mode "$( ((DEVICES_MODE)) && echo devices || echo load)" \
  --arg wstart "$WINDOW_START" --arg wend "$WINDOW_END" --arg windowS "$WINDOW_S" \
  --arg stored "$STORED" --arg acknowledged "$ACKNOWLEDGED" --arg lastStored "$LAST_STORED" \
  --arg p50 "$P50" --arg p95 "$P95" --arg p99 "$P99" --arg apiP50 "$api_p50" --arg apiP99 "$api_p99" \
  --arg totalS "$total_s" --arg totalMicros "$(per_stored "$total_s")" \
  '($windowS | tonumber) as $w | ($stored | tonumber) as $n |
   {mode: $mode,
    windowStart: ($wstart | tonumber), windowEnd: ($wend | tonumber), windowS: $w,
    acknowledged: ($acknowledged | tonumber),
    stored: $n, storedPerSecond: (if $w > 0 then ($n / $w * 10 | round) / 10 else 0 end),
    drainedPerSecond: ((($lastStored | tonumber) - ($wstart | tonumber)) as $d
      | if $d > 0 then ($n / $d * 10000 | round) / 10 else 0 end),
    latencyP50Ms: ($p50 | tonumber), latencyP95Ms: ($p95 | tonumber), latencyP99Ms: ($p99 | tonumber),
    apiLatencyMs: {vehiclesPageP50: ($apiP50 | tonumber), vehiclesPageP99: ($apiP99 | tonumber)},
    processes: $processes,
    platformCpuSeconds: ($totalS | tonumber),
    totalCpuMicrosPerStoredPing: ($totalMicros | tonumber),
    notes: ["stored: rows whose received_at lies in the window; latency: their stored_at - received_at",
            "drainedPerSecond: those rows over the time from the window start to the last one stored; below storedPerSecond when storage fell behind",
            "cpuSeconds: /proc utime+stime between the window file'"'"'s start and end lines (polled every 0.2 s)",
            "postgres: the postmaster and every child alive at a sample, plus the postmaster'"'"'s cutime/cstime (children that ended and were reaped in between); peakRssMiB is the largest VmHWM of its processes",
            "totalCpuMicrosPerStoredPing: the services, Kafka, Mosquitto and PostgreSQL, not the simulator (its /proc figure is under processes.simulator, its own under simulator.generatorCpuSeconds in the devices mode)"],
    simulator: $sim}
   + (if $mode == "load" then {acceptedPerSecond: $sim.acceptedPerSecond, accepted: $sim.accepted,
        rejected: $sim.rejected, failedUploads: $sim.failedRequests}
      else {acknowledgedPerSecond: $sim.acknowledgedPerSecond, failed: $sim.failed,
        lateTicks: $sim.lateTicks} end)' >"$OUT_DIR/result.json"
cat "$OUT_DIR/result.json"
