# Sourced by deploy/local/up.sh (functions only): the Kafka broker (KRaft) from the Maven Central
# jars: resolving them, formatting its storage, starting it and waiting until it serves requests.
# Reads up.sh's JAVA, KAFKA_LIB and PORT.
# shellcheck shell=bash

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
