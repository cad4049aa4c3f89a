# Sourced by deploy/local/up.sh (functions only): choosing a free port for every part of the stack
# (the defaults unless taken) and probing ports.
# Reads up.sh's SKIP_SERVICES; fills PORT and PORT_NOTES.
# shellcheck shell=bash disable=SC2004 # PORT is up.sh's associative array (keyed by name)

# A port counts as taken by a TCP listener or a UDP socket (CoAP's ports are UDP).
port_taken() {
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)$(ss -Hlun "sport = :$1" 2>/dev/null)" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# The default ports first, every part that can have its own; then, for each part whose default
# is taken, the next free port above it that no other part has (so one taken port moves only its
# own part).
choose_ports() {
  local -a wanted=(
    "kafka 9092 Kafka"
    "controller 9093 Kafka controller"
    "pg 5432 PostgreSQL"
    "mqtt 1883 MQTT"
  )
  if ((!SKIP_SERVICES)); then
    wanted+=(
      "api 8080 fleet-api"
      "ingest 8081 ingest-service"
      "routing 8082 routing-service"
      "analytics 8083 analytics-service"
      "osmand 5055 OsmAnd"
      "teltonika 5027 Teltonika"
      "coap 5683 CoAP (UDP)"
      "coaps 5684 CoAP over DTLS (UDP)"
    )
  fi
  local -A claimed=()
  local entry key default label port
  for entry in "${wanted[@]}"; do
    read -r key default label <<<"$entry"
    if ! port_taken "$default"; then
      PORT[$key]="$default"
      claimed[$default]=1
    fi
  done
  for entry in "${wanted[@]}"; do
    read -r key default label <<<"$entry"
    [[ -z ${PORT[$key]:-} ]] || continue
    port="$default"
    while [[ -n ${claimed[$port]:-} ]] || port_taken "$port"; do
      port=$((port + 1))
      ((port < default + 200)) || die "no free port near $default for $label"
    done
    PORT[$key]="$port"
    claimed[$port]=1
    PORT_NOTES+=("$label: port $default is taken, using $port")
  done
  local note
  for note in "${PORT_NOTES[@]}"; do warn "$note"; done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
