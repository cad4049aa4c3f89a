# Sourced by deploy/local/up.sh (functions only): the demo fleet and its client, created through
# fleet-api (or reused from the last run), and the simulator's demo mode (up.sh --demo N).
# Reads up.sh's DEMO, JAVA, API_URL, TOKEN_URL and ADMIN_CLIENT_SECRET; sets DEMO_FLEET_ID,
# DEMO_CLIENT_ID and DEMO_CLIENT_SECRET.
# shellcheck shell=bash

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
