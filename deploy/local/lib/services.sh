# Sourced by deploy/local/up.sh (functions only): fleet-api, routing-service, ingest-service and
# analytics-service:
# building them, their secrets, starting them and waiting until they are ready.
# Reads up.sh's BUILD, JAVA, HEALTH_TIMEOUT, PORT, MQTT_INGEST_USER, MQTT_INGEST_PASSWORD and
# MQTT_MESSAGE_SIZE_LIMIT; sets ADMIN_CLIENT_SECRET.
# shellcheck shell=bash

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
  local kafka_env=("FLEETLINE_KAFKA_BOOTSTRAP=127.0.0.1:${PORT[kafka]}")
  local db_env=(
    "FLEETLINE_DB_URL=jdbc:postgresql://127.0.0.1:${PORT[pg]}/fleetline"
    FLEETLINE_DB_USER=postgres
    FLEETLINE_DB_PASSWORD=
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
    "FLEETLINE_INGEST_COAP_PORT=${PORT[coap]}" \
    "FLEETLINE_INGEST_COAP_DTLS_PORT=${PORT[coaps]}" \
    "FLEETLINE_INGEST_MQTT_URL=tcp://127.0.0.1:${PORT[mqtt]}" \
    "FLEETLINE_INGEST_MQTT_USERNAME=$MQTT_INGEST_USER" \
    "FLEETLINE_INGEST_MQTT_PASSWORD=$MQTT_INGEST_PASSWORD" \
    "FLEETLINE_INGEST_MQTT_PASSWORDFILE=$MQTT_DIR/passwords" \
    "FLEETLINE_INGEST_MQTT_BROKERPIDFILE=$PID_DIR/mosquitto.pid" \
    "FLEETLINE_INGEST_MQTT_MAXPAYLOADSIZE=${MQTT_MESSAGE_SIZE_LIMIT}B" \
    "$JAVA" "${jvm[@]}" "$(marker_of ingest-service)" -jar "$(jar_of ingest-service)"

  # After ingest, which creates the pings topic the stream reads. Its RocksDB state stays under
  # .local/ between runs, so a restart does not restore it from the changelogs; one instance has
  # no other to keep a standby replica on.
  say "starting analytics-service on 127.0.0.1:${PORT[analytics]}"
  launch analytics-service env "${kafka_env[@]}" "${db_env[@]}" \
    "SERVER_PORT=${PORT[analytics]}" \
    "FLEETLINE_ANALYTICS_STATE_DIR=$LOCAL_DIR/analytics-state" \
    FLEETLINE_ANALYTICS_STANDBY_REPLICAS=0 \
    "$JAVA" "${jvm[@]}" "$(marker_of analytics-service)" -jar "$(jar_of analytics-service)"
}

service_port() {
  case "$1" in
    fleet-api) printf '%s' "${PORT[api]}" ;;
    ingest-service) printf '%s' "${PORT[ingest]}" ;;
    routing-service) printf '%s' "${PORT[routing]}" ;;
    analytics-service) printf '%s' "${PORT[analytics]}" ;;
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
