#!/usr/bin/env bash
# Starts the whole Fleetline platform on this machine without Docker: a real Apache Kafka broker
# (KRaft), a throwaway PostgreSQL + PostGIS cluster, Mosquitto, and the three services, each as its
# own process, with state and logs under .local/. Run with --help for the options.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<EOF
Usage: deploy/local/up.sh [--detach] [--fresh] [--build] [--demo N] [--help]

Starts Fleetline on this machine without Docker: an Apache Kafka broker (KRaft, from the Maven
Central jars), a PostgreSQL + PostGIS cluster, Mosquitto, and fleet-api, ingest-service and
routing-service. When everything is healthy it creates a demo fleet (or reuses the one from the
last run), writes .local/fleetline.env and prints a walk-through.

  --detach   return once everything is healthy; stop it later with deploy/local/down.sh
  --fresh    wipe .local/ first: database, Kafka logs, secrets, demo fleet, logs
  --build    rebuild the services (./mvnw -q -DskipTests install) even if their jars exist
  --demo N   once everything is up, drive N simulated vehicles in real time (the simulator's demo
             mode, all four protocols) so the stack comes alive; it stops with the stack
             (log: .local/logs/simulator.log)
  -h, --help show this help

Without --detach, up.sh stays in the foreground: Ctrl-C stops everything it started, and so does
any part of the stack exiting on its own. If the stack is already running, up.sh prints its
settings and exits 0; with --fresh or --build it stops it and starts it anew.

Ports are the defaults (fleet-api 8080, ingest 8081, routing 8082, OsmAnd 5055, Teltonika 5027,
MQTT 1883, Kafka 9092, PostgreSQL 5432) unless taken, in which case free ones are picked and shown.
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

# --- prerequisites -------------------------------------------------------------------------------

java_major() {
  "$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# Finds the tools the stack needs and sets MISSING_PACKAGES to the Debian packages that would
# provide what is absent.
detect_tools() {
  MISSING_PACKAGES=()
  local major
  major="$(java_major 2>/dev/null || true)"
  if [[ -z $major ]] || ((major < 17)); then
    MISSING_PACKAGES+=(openjdk-17-jdk-headless)
  fi

  # The PostgreSQL that made an existing cluster must run it; otherwise the newest installed.
  local version=''
  if [[ -f $PG_DATA/PG_VERSION || -f $PG_DIR/.initdb-done ]]; then
    version="$(cat "$PG_DATA/PG_VERSION" 2>/dev/null || true)"
  fi
  if [[ -z $version ]]; then
    local dir
    for dir in /usr/lib/postgresql/*/; do
      [[ -x $dir/bin/initdb ]] || continue
      dir="${dir%/}"
      if [[ -z $version ]] || ((${dir##*/} > version)); then version="${dir##*/}"; fi
    done
  fi
  if [[ -z $version ]]; then
    MISSING_PACKAGES+=(postgresql-15 postgresql-15-postgis-3)
  else
    PG_BIN="/usr/lib/postgresql/$version/bin"
    [[ -x $PG_BIN/initdb ]] || MISSING_PACKAGES+=("postgresql-$version")
    [[ -f /usr/share/postgresql/$version/extension/postgis.control ]] ||
      MISSING_PACKAGES+=("postgresql-$version-postgis-3")
  fi

  MOSQUITTO="$(command -v mosquitto || true)"
  [[ -n $MOSQUITTO ]] || { [[ -x /usr/sbin/mosquitto ]] && MOSQUITTO=/usr/sbin/mosquitto; } ||
    MISSING_PACKAGES+=(mosquitto)

  local tool
  for tool in curl jq openssl; do
    command -v "$tool" >/dev/null || MISSING_PACKAGES+=("$tool")
  done
}

check_prerequisites() {
  detect_tools
  ((${#MISSING_PACKAGES[@]} == 0)) && return 0
  if [[ $EUID -ne 0 ]]; then
    die "missing prerequisites; install them with:
    sudo apt-get install -y ${MISSING_PACKAGES[*]}"
  fi
  say "installing ${MISSING_PACKAGES[*]}"
  # The package lists are refreshed only when needed: it is slow, and usually they are fresh enough.
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y "${MISSING_PACKAGES[@]}" ||
    { apt-get update && apt-get install -y "${MISSING_PACKAGES[@]}"; } ||
    die "could not install ${MISSING_PACKAGES[*]}"
  detect_tools
  ((${#MISSING_PACKAGES[@]} == 0)) || die "still missing after installing: ${MISSING_PACKAGES[*]}"
}

# --- build ---------------------------------------------------------------------------------------

# The newest runnable jar of a service module, if it has been built.
jar_of() {
  local jar newest=''
  for jar in "$REPO_DIR/$1/target/$1"-*-exec.jar; do
    if [[ -f $jar && (-z $newest || $jar -nt $newest) ]]; then newest="$jar"; fi
  done
  [[ -n $newest ]] && printf '%s' "$newest"
}

build_services() {
  local name missing=0
  for name in "${SERVICES[@]}"; do jar_of "$name" >/dev/null || missing=1; done
  if ((BUILD || missing)); then
    say "building the services: ./mvnw -q -DskipTests install (takes a few minutes)"
    (cd "$REPO_DIR" && ./mvnw -q -DskipTests install) || die "the build failed"
  fi
  for name in "${SERVICES[@]}"; do
    jar_of "$name" >/dev/null || die "no $name/target/$name-*-exec.jar after the build"
  done
}

# The broker's classpath: kafka_2.13 and its dependencies at the version Spring Boot manages,
# copied by Maven from the local repository (or Maven Central) into deploy/local/kafka/target/lib.
# Resolved again only when what decides the version changes: deploy/local/kafka/pom.xml, the root
# pom's parent (the Spring Boot version) or a Kafka line in the root pom (a kafka.version override).
kafka_fingerprint() {
  {
    cat "$SCRIPT_DIR/kafka/pom.xml"
    sed -n '/<parent>/,/<\/parent>/p' "$REPO_DIR/pom.xml"
    grep -i kafka "$REPO_DIR/pom.xml" || true
  } | sha256sum | cut -d ' ' -f 1
}

resolve_kafka_jars() {
  local stamp="$KAFKA_LIB/.resolved" fingerprint
  fingerprint="$(kafka_fingerprint)"
  if [[ "$(cat "$stamp" 2>/dev/null)" == "$fingerprint" ]]; then
    return 0
  fi
  say "resolving the Kafka broker's jars with Maven"
  rm -rf "$KAFKA_LIB"
  (cd "$REPO_DIR" && ./mvnw -q -f deploy/local/kafka/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB") || die "could not resolve the Kafka jars"
  compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" >/dev/null || die "no kafka_2.13 jar in $KAFKA_LIB"
  printf '%s\n' "$fingerprint" >"$stamp"
}

# --- ports ---------------------------------------------------------------------------------------

port_taken() {
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]]
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
      "osmand 5055 OsmAnd"
      "teltonika 5027 Teltonika"
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

# --- processes -----------------------------------------------------------------------------------

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

# --- infrastructure ------------------------------------------------------------------------------

kafka_java() {
  "$JAVA" -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.properties" -cp "$KAFKA_LIB/*" "$@"
}

start_kafka() {
  mkdir -p "$KAFKA_DIR/data"
  sed -e "s|@KAFKA_PORT@|${PORT[kafka]}|g" -e "s|@CONTROLLER_PORT@|${PORT[controller]}|g" \
    -e "s|@DATA_DIR@|$KAFKA_DIR/data|g" \
    "$SCRIPT_DIR/kafka/server.properties.template" >"$KAFKA_DIR/server.properties"

  if [[ ! -f $KAFKA_DIR/data/meta.properties ]]; then
    # A cluster id is 16 random bytes in URL-safe base64 without padding. It may start with '-',
    # so it is passed as --cluster-id=… where the argument parser cannot take it for an option.
    local cluster_id
    cluster_id="$(openssl rand -base64 16 | tr '+/' '-_' | tr -d '=\n')"
    say "formatting Kafka's storage in ${KAFKA_DIR#"$REPO_DIR"/}/data (cluster $cluster_id)"
    kafka_java kafka.tools.StorageTool format --ignore-formatted \
      --config "$KAFKA_DIR/server.properties" "--cluster-id=$cluster_id" >"$LOG_DIR/kafka-format.log" 2>&1 ||
      { cat "$LOG_DIR/kafka-format.log" >&2; die "could not format Kafka's storage"; }
  fi

  say "starting Kafka on 127.0.0.1:${PORT[kafka]}"
  launch kafka "$JAVA" -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "$(marker_of kafka)" \
    -Dlog4j2.configurationFile="$SCRIPT_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_DIR/server.properties"
}

# An open port is not yet a broker that serves requests: ask it for its topics as a client would.
wait_for_kafka() {
  wait_for_port kafka "${PORT[kafka]}" 120
  local output
  if ! output="$(timeout 90 "$JAVA" -cp "$KAFKA_LIB/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:${PORT[kafka]}" --list 2>&1)"; then
    printf '%s\n' "$output" >&2
    fail_component kafka "Kafka does not answer metadata requests"
  fi
}

start_postgres() {
  mkdir -p "$PG_DIR"
  if [[ $EUID -eq 0 ]]; then
    chown postgres:postgres "$PG_DIR"
    chmod 700 "$PG_DIR"
    as_pg test -w "$PG_DIR" 2>/dev/null ||
      die "the postgres user cannot reach $PG_DIR; make its parent directories traversable (chmod o+x)"
  fi

  if [[ ! -f $PG_DIR/.initdb-done ]]; then
    # No marker: never initialised, or initdb was interrupted. Either way, start from scratch.
    rm -rf "$PG_DATA"
    say "creating a PostgreSQL cluster in ${PG_DATA#"$REPO_DIR"/}"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C \
      >"$LOG_DIR/postgres-initdb.log" 2>&1 ||
      { cat "$LOG_DIR/postgres-initdb.log" >&2; die "initdb failed"; }
    # Loopback TCP only, no Unix socket (no /var/run/postgresql needed); the port is given at start.
    as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null <<'EOF'

# Added by deploy/local/up.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
EOF
    touch "$PG_DIR/.initdb-done"
  fi

  # After a crash, postmaster.pid may name a pid that another process has since taken, which
  # would make PostgreSQL refuse to start.
  if [[ -f $PG_DATA/postmaster.pid ]] && ! is_running postgres; then
    rm -f "$PG_DATA/postmaster.pid"
  fi

  local log="$LOG_DIR/postgres.log"
  rotate_log "$log"
  [[ $EUID -ne 0 ]] || chown postgres:postgres "$log"
  say "starting PostgreSQL on 127.0.0.1:${PORT[pg]}"
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p ${PORT[pg]}" -l "$log" -w -t 60 start >/dev/null 9>&- ||
    fail_component postgres "PostgreSQL did not start"
  head -n 1 "$PG_DATA/postmaster.pid" >"$PID_DIR/postgres.pid"

  local exists
  exists="$("$PG_BIN/psql" -h 127.0.0.1 -p "${PORT[pg]}" -U postgres -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname = 'fleetline'")" || die "cannot connect to PostgreSQL"
  if [[ -z $exists ]]; then
    "$PG_BIN/createdb" -h 127.0.0.1 -p "${PORT[pg]}" -U postgres fleetline ||
      die "cannot create database fleetline"
  fi
}

# ingest's broker password, kept across runs like the other secrets.
ensure_mqtt_secret() {
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  local secret="$SECRETS_DIR/mqtt-ingest-password"
  if [[ ! -s $secret ]]; then
    (umask 077 && openssl rand -hex 32 >"$secret")
  fi
  MQTT_INGEST_PASSWORD="$(cat "$secret")"
}

# The broker admits only the accounts of its password file, which ingest rewrites from the device
# registry (its own account plus every enabled MQTT device with a token) and then signals Mosquitto
# to re-read. Devices may publish only to their own topic and subscribe to nothing; only ingest
# reads.
write_mosquitto_auth() {
  local passwords="$MQTT_DIR/passwords" acl="$MQTT_DIR/acl"
  cat >"$acl" <<EOF
# Written by deploy/local/up.sh on every start.
# A device (username = its identifier) publishes only to its own topic and reads nothing.
pattern write fleetline/devices/%u/pings
# ingest reads every device topic, through its shared subscription.
user $MQTT_INGEST_USER
topic read fleetline/devices/+/pings
EOF
  # Until ingest rewrites it, only ingest's own account is in it.
  (umask 027 && : >"$passwords")
  if command -v mosquitto_passwd >/dev/null; then
    mosquitto_passwd -b "$passwords" "$MQTT_INGEST_USER" "$MQTT_INGEST_PASSWORD" >/dev/null ||
      die "mosquitto_passwd could not write $passwords"
  fi
  # Started as root, Mosquitto drops to the mosquitto user, which re-reads both on SIGHUP; ingest
  # keeps the password file's owner, group and mode when it replaces it.
  if [[ $EUID -eq 0 ]] && id mosquitto >/dev/null 2>&1; then
    chgrp mosquitto "$passwords" "$acl"
    chmod 640 "$passwords" "$acl"
  fi
}

start_mosquitto() {
  mkdir -p "$MQTT_DIR/data"
  # A log file of its own, since Mosquitto's stdout is block-buffered when it is not a terminal.
  local log="$LOG_DIR/mosquitto.log"
  rotate_log "$log"
  # Started as root, Mosquitto drops to the mosquitto user, which then writes these.
  if [[ $EUID -eq 0 ]] && id mosquitto >/dev/null 2>&1; then
    chown mosquitto: "$MQTT_DIR/data" "$log"
  fi
  write_mosquitto_auth
  cat >"$MQTT_DIR/mosquitto.conf" <<EOF
# Written by deploy/local/up.sh on every start.
listener ${PORT[mqtt]} 127.0.0.1
allow_anonymous false
password_file $MQTT_DIR/passwords
acl_file $MQTT_DIR/acl
# Larger publishes are dropped by the broker (a v3.1.1 device still gets its PUBACK).
message_size_limit $MQTT_MESSAGE_SIZE_LIMIT
# No cap on client connections (every MQTT device keeps its own); the open-file limit up.sh raises
# is the bound.
max_connections -1
# ingest acknowledges a message only once it is durable in Kafka and keeps up to its
# fleetline.ingest.mqtt.max-in-flight (256) outstanding, some of them held for devices its registry
# does not know yet; the default window of 20 would throttle it. A pause of ingest (a restart, a
# Kafka outage) is ridden out in the queue behind the window, and what overflows that queue is
# dropped although the broker has already acknowledged it to the device. The queue is therefore
# bounded by payload bytes, not by a count (100000 messages are ten seconds of a 10k-device fleet
# pinging every second): 1 GB holds several minutes of such a fleet's ~300-byte pings, and ingest's
# session is the only one that queues this much.
max_inflight_messages 256
max_queued_messages 0
max_queued_bytes 1073741824
persistence true
persistence_location $MQTT_DIR/data/
log_dest file $log
log_timestamp_format %Y-%m-%dT%H:%M:%S
EOF
  say "starting Mosquitto on 127.0.0.1:${PORT[mqtt]}"
  # Its stdout and stderr (start-up failures only) go to mosquitto.out.log.
  LAUNCH_LOG="$LOG_DIR/mosquitto.out.log" launch mosquitto "$MOSQUITTO" -c "$MQTT_DIR/mosquitto.conf"
  wait_for_port mosquitto "${PORT[mqtt]}" 20
}

# --- services ------------------------------------------------------------------------------------

ensure_secrets() {
  mkdir -p "$SECRETS_DIR"
  chmod 700 "$SECRETS_DIR"
  local key="$SECRETS_DIR/jwt-signing-key.pem" secret="$SECRETS_DIR/admin-client-secret"
  if [[ ! -s $key ]]; then
    say "generating fleet-api's JWT signing key"
    # OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY"), the form fleet-api reads.
    if ! (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key.tmp" 2>/dev/null); then
      die "could not generate $key"
    fi
    mv "$key.tmp" "$key"
  fi
  grep -q -- '-----BEGIN PRIVATE KEY-----' "$key" || die "$key is not a PKCS#8 PEM private key"
  chmod 600 "$key"
  if [[ ! -s $secret ]]; then
    (umask 077 && openssl rand -hex 32 >"$secret")
  fi
  ADMIN_CLIENT_SECRET="$(cat "$secret")"
}

start_services() {
  local kafka_env=("SPRING_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:${PORT[kafka]}")
  local db_env=(
    "SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:${PORT[pg]}/fleetline"
    SPRING_DATASOURCE_USERNAME=postgres
    SPRING_DATASOURCE_PASSWORD=
  )
  local jvm=(-Xmx384m -XX:+ExitOnOutOfMemoryError)
  # routing keeps every vehicle's recent history in memory between batches (a tenth of its heap);
  # with 384 MB, ten thousand vehicles at a ping a second kept its collector busy with that
  # resident set (a sixth of the machine in a 10k-device run) and storage fell seconds behind.
  local routing_jvm=(-Xmx1g -XX:+ExitOnOutOfMemoryError)

  say "starting fleet-api on 127.0.0.1:${PORT[api]}"
  launch fleet-api env "${kafka_env[@]}" "${db_env[@]}" \
    "SERVER_PORT=${PORT[api]}" \
    "FLEETLINE_AUTH_ISSUER=http://127.0.0.1:${PORT[api]}" \
    "FLEETLINE_AUTH_SIGNING_KEY=file:$SECRETS_DIR/jwt-signing-key.pem" \
    FLEETLINE_ADMIN_CLIENT_ID=platform-admin \
    "FLEETLINE_ADMIN_CLIENT_SECRET=$ADMIN_CLIENT_SECRET" \
    "$JAVA" "${jvm[@]}" "$(marker_of fleet-api)" -jar "$(jar_of fleet-api)"

  say "starting routing-service on 127.0.0.1:${PORT[routing]}"
  launch routing-service env "${kafka_env[@]}" "${db_env[@]}" \
    "SERVER_PORT=${PORT[routing]}" \
    "$JAVA" "${routing_jvm[@]}" "$(marker_of routing-service)" -jar "$(jar_of routing-service)"

  say "starting ingest-service on 127.0.0.1:${PORT[ingest]}"
  launch ingest-service env "${kafka_env[@]}" \
    "SERVER_PORT=${PORT[ingest]}" \
    "FLEETLINE_INGEST_OSMAND_PORT=${PORT[osmand]}" \
    "FLEETLINE_INGEST_TELTONIKA_PORT=${PORT[teltonika]}" \
    "FLEETLINE_INGEST_MQTT_URL=tcp://127.0.0.1:${PORT[mqtt]}" \
    "FLEETLINE_INGEST_MQTT_USERNAME=$MQTT_INGEST_USER" \
    "FLEETLINE_INGEST_MQTT_PASSWORD=$MQTT_INGEST_PASSWORD" \
    "FLEETLINE_INGEST_MQTT_PASSWORDFILE=$MQTT_DIR/passwords" \
    "FLEETLINE_INGEST_MQTT_BROKERPIDFILE=$PID_DIR/mosquitto.pid" \
    "FLEETLINE_INGEST_MQTT_MAXPAYLOADSIZE=${MQTT_MESSAGE_SIZE_LIMIT}B" \
    "$JAVA" "${jvm[@]}" "$(marker_of ingest-service)" -jar "$(jar_of ingest-service)"
}

service_port() {
  case "$1" in
    fleet-api) printf '%s' "${PORT[api]}" ;;
    ingest-service) printf '%s' "${PORT[ingest]}" ;;
    routing-service) printf '%s' "${PORT[routing]}" ;;
  esac
}

is_ready() {
  curl -fsS --max-time 3 "http://127.0.0.1:$(service_port "$1")/actuator/health/readiness" 2>/dev/null |
    grep -q '"UP"'
}

wait_for_services() {
  local deadline=$((SECONDS + HEALTH_TIMEOUT)) started=$SECONDS name
  local -a pending=("${SERVICES[@]}") still
  say "waiting for the services to be ready (up to ${HEALTH_TIMEOUT}s)"
  while ((${#pending[@]} > 0)); do
    still=()
    for name in "${pending[@]}"; do
      if is_ready "$name"; then
        say "$name is ready ($((SECONDS - started))s)"
      elif ! is_running "$name"; then
        fail_component "$name" "$name exited during start-up"
      else
        still+=("$name")
      fi
    done
    pending=("${still[@]}")
    ((${#pending[@]} > 0)) || break
    if ((SECONDS >= deadline)); then
      for name in "${pending[@]}"; do show_log_tail "$name"; done
      die "not ready within ${HEALTH_TIMEOUT}s: ${pending[*]}"
    fi
    sleep 2
  done
}

# --- demo fleet and env file ---------------------------------------------------------------------

# Prints an access token for a client (client-credentials grant, HTTP Basic client authentication).
client_token() {
  curl -fsS --max-time 15 -u "$1:$2" --data-urlencode grant_type=client_credentials \
    --data-urlencode "scope=$3" "$TOKEN_URL" 2>/dev/null | jq -er '.access_token'
}

# POSTs JSON with a bearer token; sets HTTP_STATUS and HTTP_BODY.
post_json() {
  local body
  body="$(mktemp)"
  HTTP_STATUS="$(curl -sS --max-time 30 -o "$body" -w '%{http_code}' -X POST \
    -H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data "$3" "$2")" || HTTP_STATUS=000
  HTTP_BODY="$(cat "$body")"
  rm -f "$body"
}

env_value() {
  # shellcheck disable=SC1090
  (source "$ENV_FILE" >/dev/null 2>&1 && printf '%s' "${!1:-}") || true
}

ensure_demo_fleet() {
  if [[ -f $ENV_FILE ]]; then
    DEMO_FLEET_ID="$(env_value FLEETLINE_DEMO_FLEET_ID)"
    DEMO_CLIENT_ID="$(env_value FLEETLINE_DEMO_CLIENT_ID)"
    DEMO_CLIENT_SECRET="$(env_value FLEETLINE_DEMO_CLIENT_SECRET)"
    if [[ -n $DEMO_FLEET_ID && -n $DEMO_CLIENT_ID && -n $DEMO_CLIENT_SECRET ]] &&
      client_token "$DEMO_CLIENT_ID" "$DEMO_CLIENT_SECRET" fleet.read >/dev/null; then
      say "reusing the demo fleet $DEMO_FLEET_ID"
      return 0
    fi
  fi

  say "creating the demo fleet"
  local admin_token
  admin_token="$(client_token platform-admin "$ADMIN_CLIENT_SECRET" platform.admin)" ||
    die "fleet-api gave the platform-admin client no token at $TOKEN_URL"

  post_json "$admin_token" "$API_URL/api/v1/admin/fleets" '{"name":"Demo fleet"}'
  [[ $HTTP_STATUS == 201 ]] || die "creating the demo fleet answered $HTTP_STATUS: $HTTP_BODY"
  DEMO_FLEET_ID="$(jq -er '.id' <<<"$HTTP_BODY")" || die "no fleet id in: $HTTP_BODY"

  post_json "$admin_token" "$API_URL/api/v1/admin/fleets/$DEMO_FLEET_ID/clients" \
    '{"name":"demo","scopes":["fleet.read","fleet.write","fleet.admin"]}'
  [[ $HTTP_STATUS == 201 ]] || die "creating the demo client answered $HTTP_STATUS: $HTTP_BODY"
  DEMO_CLIENT_ID="$(jq -er '.clientId' <<<"$HTTP_BODY")" || die "no clientId in: $HTTP_BODY"
  DEMO_CLIENT_SECRET="$(jq -er '.clientSecret' <<<"$HTTP_BODY")" || die "no clientSecret in: $HTTP_BODY"
}

# KEY=VALUE, single-quoted when the value holds anything a shell would interpret.
env_line() {
  if [[ $2 =~ ^[A-Za-z0-9._:/@%+=,-]*$ ]]; then
    printf '%s=%s\n' "$1" "$2"
  else
    printf "%s='%s'\n" "$1" "${2//\'/\'\\\'\'}"
  fi
}

write_env_file() {
  local tmp="$ENV_FILE.tmp"
  (
    umask 077
    printf '# Fleetline local stack, written by deploy/local/up.sh at %s\n' "$(date -u +%FT%TZ)"
    if ((!SKIP_SERVICES)); then
      env_line FLEETLINE_API_URL "$API_URL"
      env_line FLEETLINE_TOKEN_URL "$TOKEN_URL"
      env_line FLEETLINE_ADMIN_CLIENT_ID platform-admin
      env_line FLEETLINE_ADMIN_CLIENT_SECRET "$ADMIN_CLIENT_SECRET"
      env_line FLEETLINE_DEMO_FLEET_ID "$DEMO_FLEET_ID"
      env_line FLEETLINE_DEMO_CLIENT_ID "$DEMO_CLIENT_ID"
      env_line FLEETLINE_DEMO_CLIENT_SECRET "$DEMO_CLIENT_SECRET"
      env_line FLEETLINE_INGEST_URL "http://127.0.0.1:${PORT[ingest]}"
      env_line FLEETLINE_OSMAND_URL "http://127.0.0.1:${PORT[osmand]}"
      env_line FLEETLINE_TELTONIKA_ADDR "127.0.0.1:${PORT[teltonika]}"
    fi
    env_line FLEETLINE_MQTT_URL "tcp://127.0.0.1:${PORT[mqtt]}"
    # Devices log in as themselves; ingest's account (it reads every device topic) stays out of here.
    env_line FLEETLINE_KAFKA_BOOTSTRAP "127.0.0.1:${PORT[kafka]}"
    env_line FLEETLINE_DB_URL "jdbc:postgresql://127.0.0.1:${PORT[pg]}/fleetline"
  ) >"$tmp"
  chmod 600 "$tmp" # it holds the client secrets
  mv -f "$tmp" "$ENV_FILE"
}

print_summary() {
  local rel_env="${ENV_FILE#"$REPO_DIR"/}"
  echo
  if ((SKIP_SERVICES)); then
    say "Fleetline's infrastructure is up (services skipped: FLEETLINE_LOCAL_SKIP_SERVICES=1)"
  else
    say "Fleetline is up"
    printf '  %-16s %s\n' \
      fleet-api "$API_URL  (token endpoint $TOKEN_URL)" \
      ingest-service "http://127.0.0.1:${PORT[ingest]}  OsmAnd http://127.0.0.1:${PORT[osmand]}  Teltonika 127.0.0.1:${PORT[teltonika]}" \
      routing-service "http://127.0.0.1:${PORT[routing]}"
  fi
  printf '  %-16s %s\n' \
    Kafka "127.0.0.1:${PORT[kafka]}" \
    PostgreSQL "jdbc:postgresql://127.0.0.1:${PORT[pg]}/fleetline  (user postgres, no password)" \
    Mosquitto "tcp://127.0.0.1:${PORT[mqtt]}" \
    logs "${LOG_DIR#"$REPO_DIR"/}/<name>.log"
  local note
  for note in "${PORT_NOTES[@]}"; do printf '  note: %s\n' "$note"; done
  echo
  if ((SKIP_SERVICES)); then
    echo "Settings are in $rel_env."
    return 0
  fi
  echo "Settings are in $rel_env. Try it:"
  echo
  "$SCRIPT_DIR/walkthrough.sh" --print "$ENV_FILE" | sed 's/^./    &/'
  echo
  echo "(deploy/local/walkthrough.sh runs these steps and checks them.)"
}

# The simulator's demo mode against the stack just written to the env file: vehicles of every
# protocol, registered in the demo fleet, reporting every 5 s until the stack stops.
start_demo() {
  if ! jar_of simulator >/dev/null; then
    say "building the simulator"
    (cd "$REPO_DIR" && ./mvnw -q -DskipTests install -pl common,simulator) || die "the build failed"
  fi
  say "starting the simulator: $DEMO vehicles in real time"
  launch simulator "$JAVA" -Xmx256m "$(marker_of simulator)" -jar "$(jar_of simulator)" demo \
    --vehicles "$DEMO" --protocols http=40,osmand=20,mqtt=20,teltonika=20 --interval 5 \
    --env-file "$ENV_FILE"
}

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
