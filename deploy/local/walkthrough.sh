#!/usr/bin/env bash
# The local stack's walk-through, as a check: get a token with the demo client, register a vehicle
# with an HTTP device, send a ping as that device, and read the vehicle's position back.
#
#   deploy/local/walkthrough.sh [ENV_FILE]          run the steps; exit non-zero if one fails
#   deploy/local/walkthrough.sh --print [ENV_FILE]  print them as copy-paste commands (up.sh does)
#
# ENV_FILE defaults to .local/fleetline.env, written by deploy/local/up.sh.
set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

print_steps() {
  # Quoted here-document: the variables are for the reader's shell, not expanded here.
  printf 'source %q\n' "$1"
  cat <<'EOF'

# 1. a token for the demo client
TOKEN=$(curl -s -u "$FLEETLINE_DEMO_CLIENT_ID:$FLEETLINE_DEMO_CLIENT_SECRET" \
  -d grant_type=client_credentials --data-urlencode 'scope=fleet.read fleet.write' \
  "$FLEETLINE_TOKEN_URL" | jq -r .access_token)

# 2. register a vehicle with an HTTP device; the answer shows the device's token once
VEHICLE=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Van 1","plate":"B-FL 101","devices":[{"protocol":"http","identifier":"van-1"}]}' \
  "$FLEETLINE_API_URL/api/v1/vehicles")
echo "$VEHICLE" | jq .
VEHICLE_ID=$(jq -r .id <<<"$VEHICLE"); DEVICE_TOKEN=$(jq -r '.devices[0].token' <<<"$VEHICLE")

# 3. send a ping as that device
curl -s -H "Authorization: Bearer $DEVICE_TOKEN" -H 'Content-Type: application/json' \
  -d '{"recordedAt":"'"$(date -u +%FT%T.%3NZ)"'","latitude":52.52,"longitude":13.405,"speedKmh":42}' \
  "$FLEETLINE_INGEST_URL/api/v1/pings"; echo

# 4. the vehicle's latest position (a moment later: the ping travels through Kafka)
curl -s -H "Authorization: Bearer $TOKEN" "$FLEETLINE_API_URL/api/v1/vehicles/$VEHICLE_ID/position" | jq .
EOF
}

step() { printf '\n==> %s\n' "$*"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}

# Sends a request with a bearer token (and a JSON body, if given); sets STATUS and BODY.
request() {
  local method="$1" url="$2" token="$3" json="${4:-}" out
  out="$(mktemp)"
  local -a args=(-sS --max-time 30 -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token")
  [[ -z $json ]] || args+=(-H 'Content-Type: application/json' --data "$json")
  STATUS="$(curl "${args[@]}" "$url")" || STATUS=000
  BODY="$(cat "$out")"
  rm -f "$out"
  printf '%s %s -> %s %s\n' "$method" "$url" "$STATUS" "$BODY"
}

run_steps() {
  # shellcheck disable=SC1090
  source "$1"
  local key
  for key in FLEETLINE_API_URL FLEETLINE_TOKEN_URL FLEETLINE_INGEST_URL \
    FLEETLINE_DEMO_CLIENT_ID FLEETLINE_DEMO_CLIENT_SECRET; do
    [[ -n ${!key:-} ]] || fail "$key is not set in $1 (is the stack up with its services?)"
  done

  step "1. a token for the demo client"
  local token
  token="$(curl -fsS --max-time 15 -u "$FLEETLINE_DEMO_CLIENT_ID:$FLEETLINE_DEMO_CLIENT_SECRET" \
    -d grant_type=client_credentials --data-urlencode 'scope=fleet.read fleet.write' \
    "$FLEETLINE_TOKEN_URL" | jq -er .access_token)" || fail "no token from $FLEETLINE_TOKEN_URL"
  echo "got a token (${#token} characters)"

  step "2. register a vehicle with an HTTP device"
  # Identifiers are unique per protocol, so each run registers its own device.
  local identifier
  identifier="van-1-$(date +%s)-$RANDOM"
  request POST "$FLEETLINE_API_URL/api/v1/vehicles" "$token" \
    '{"name":"Van 1","plate":"B-FL 101","devices":[{"protocol":"http","identifier":"'"$identifier"'"}]}'
  [[ $STATUS == 201 ]] || fail "registering the vehicle answered $STATUS"
  local vehicle_id device_token
  vehicle_id="$(jq -er .id <<<"$BODY")" || fail "no id in the vehicle"
  device_token="$(jq -er '.devices[0].token' <<<"$BODY")" || fail "no devices[0].token in the vehicle"

  step "3. send a ping as that device"
  request POST "$FLEETLINE_INGEST_URL/api/v1/pings" "$device_token" \
    '{"recordedAt":"'"$(date -u +%FT%T.%3NZ)"'","latitude":52.52,"longitude":13.405,"speedKmh":42}'
  [[ $STATUS == 202 ]] || fail "the ping answered $STATUS"
  jq -e '.accepted == 1' <<<"$BODY" >/dev/null || fail "the ping was not accepted"

  step "4. the vehicle's latest position (polling for up to 30 s)"
  local deadline=$((SECONDS + 30))
  while true; do
    request GET "$FLEETLINE_API_URL/api/v1/vehicles/$vehicle_id/position" "$token"
    if [[ $STATUS == 200 ]]; then
      jq -e '((.latitude - 52.52) | fabs) < 1e-6 and ((.longitude - 13.405) | fabs) < 1e-6' \
        <<<"$BODY" >/dev/null || fail "the position is not the one sent"
      break
    fi
    [[ $STATUS == 404 ]] || fail "reading the position answered $STATUS"
    ((SECONDS < deadline)) || fail "no position within 30 s"
    sleep 1
  done
  printf '\nwalk-through passed: vehicle %s is at 52.52, 13.405\n' "$vehicle_id"
}

main() {
  local print=0
  if [[ ${1:-} == --print ]]; then
    print=1
    shift
  elif [[ ${1:-} == -h || ${1:-} == --help ]]; then
    sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
  fi
  local env_file="${1:-$REPO_DIR/.local/fleetline.env}"
  if ((print)); then
    print_steps "$env_file"
  else
    [[ -f $env_file ]] || fail "$env_file does not exist; start the stack with deploy/local/up.sh"
    run_steps "$env_file"
  fi
}

main "$@"
