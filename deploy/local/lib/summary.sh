# Sourced by deploy/local/up.sh (functions only): .local/fleetline.env, the settings that clients,
# the walk-through and the simulator read, and the summary printed once the stack is up.
# Reads up.sh's SKIP_SERVICES, PORT, PORT_NOTES, API_URL, TOKEN_URL, the secrets and ids of the
# admin and demo clients, and the demo fleet's people.
# shellcheck shell=bash

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
      env_line FLEETLINE_CONSOLE_URL "$API_URL/console/"
      env_line FLEETLINE_DEMO_USER_EMAIL "$DEMO_USER_EMAIL"
      env_line FLEETLINE_DEMO_USER_PASSWORD "$DEMO_USER_PASSWORD"
      env_line FLEETLINE_DEMO_VIEWER_EMAIL "$DEMO_VIEWER_EMAIL"
      env_line FLEETLINE_DEMO_VIEWER_PASSWORD "$DEMO_VIEWER_PASSWORD"
      env_line FLEETLINE_INGEST_URL "http://127.0.0.1:${PORT[ingest]}"
      env_line FLEETLINE_OSMAND_URL "http://127.0.0.1:${PORT[osmand]}"
      env_line FLEETLINE_TELTONIKA_ADDR "127.0.0.1:${PORT[teltonika]}"
      env_line FLEETLINE_COAP_URL "coap://127.0.0.1:${PORT[coap]}"
      # DTLS is off unless FLEETLINE_INGEST_COAP_DTLS_ENABLED=true was set for the stack.
      if [ "${FLEETLINE_INGEST_COAP_DTLS_ENABLED:-false}" = true ]; then
        env_line FLEETLINE_COAPS_URL "coaps://127.0.0.1:${PORT[coaps]}"
      fi
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
    local coap="CoAP coap://127.0.0.1:${PORT[coap]}"
    if [ "${FLEETLINE_INGEST_COAP_DTLS_ENABLED:-false}" = true ]; then
      coap+=" coaps://127.0.0.1:${PORT[coaps]}"
    fi
    say "Fleetline is up"
    printf '  %-16s %s\n' \
      fleet-api "$API_URL  (token endpoint $TOKEN_URL)" \
      console "$API_URL/console/  (sign in as $DEMO_USER_EMAIL, password in the env file)" \
      ingest-service "http://127.0.0.1:${PORT[ingest]}  OsmAnd http://127.0.0.1:${PORT[osmand]}  Teltonika 127.0.0.1:${PORT[teltonika]}  $coap" \
      routing-service "http://127.0.0.1:${PORT[routing]}" \
      analytics-service "http://127.0.0.1:${PORT[analytics]}"
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
