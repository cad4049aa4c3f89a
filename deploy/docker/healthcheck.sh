#!/bin/bash
# Container health check for the Fleetline images, which carry a JRE but neither curl nor wget:
# one HTTP/1.0 GET over bash's /dev/tcp. Healthy when the actuator answers 200 with status UP.
#   healthcheck.sh [path]    path defaults to /actuator/health/readiness
# The port is HEALTHCHECK_PORT, else SERVER_PORT (as the service itself reads it), else 8080.
set -u
path="${1:-/actuator/health/readiness}"
port="${HEALTHCHECK_PORT:-${SERVER_PORT:-8080}}"

exec 3<>"/dev/tcp/127.0.0.1/${port}" 2>/dev/null || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\nAccept: application/json\r\n\r\n' "$path" >&3
response="$(timeout 4 cat <&3)" || exit 1
exec 3<&-

status_line="${response%%$'\r'*}"
[[ "$status_line" =~ ^HTTP/1\.[01]\ 200 ]] || exit 1
[[ "$response" == *'"status":"UP"'* ]] || exit 1
