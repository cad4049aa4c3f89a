# Sourced by deploy/local/up.sh (functions only): Mosquitto, with ingest's broker account, the
# devices' access rules and its configuration written on every start.
# Reads up.sh's MOSQUITTO, MQTT_INGEST_USER, MQTT_MESSAGE_SIZE_LIMIT and PORT; sets
# MQTT_INGEST_PASSWORD.
# shellcheck shell=bash

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
# A gateway (username = its identifier) publishes only to its own gateway topic.
pattern write fleetline/gateways/%u/pings
# ingest reads every device and gateway topic, through its shared subscription.
user $MQTT_INGEST_USER
topic read fleetline/devices/+/pings
topic read fleetline/gateways/+/pings
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
