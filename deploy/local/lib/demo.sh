# Sourced by deploy/local/up.sh (functions only): the demo fleet and its client, created through
# fleet-api (or reused from the last run), and the simulator's demo mode (up.sh --demo N).
# Reads up.sh's DEMO, JAVA, API_URL, TOKEN_URL and ADMIN_CLIENT_SECRET; sets DEMO_FLEET_ID,
# DEMO_CLIENT_ID and DEMO_CLIENT_SECRET, and the demo fleet's people who sign in to the console:
# DEMO_USER_EMAIL and DEMO_USER_PASSWORD (a fleet administrator), DEMO_VIEWER_EMAIL and
# DEMO_VIEWER_PASSWORD (a viewer).
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

# Sends JSON with a bearer token (method, token, URL, optional body); sets HTTP_STATUS and HTTP_BODY.
request_json() {
  local body
  body="$(mktemp)"
  local args=(-sS --max-time 30 -o "$body" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $2")
  [[ -z ${4:-} ]] || args+=(-H 'Content-Type: application/json' --data "$4")
  HTTP_STATUS="$(curl "${args[@]}" "$3")" || HTTP_STATUS=000
  HTTP_BODY="$(cat "$body")"
  rm -f "$body"
}

# A random password of 32 URL-safe characters.
random_password() {
  head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# The demo fleet's people, reused while they exist and their passwords are in the env file;
# otherwise created, or given a new password. Their emails name the fleet, as an email is unique
# across fleets and a new demo fleet may be made beside an old one.
ensure_demo_users() {
  local token suffix="${DEMO_FLEET_ID:0:8}"
  token="$(client_token "$DEMO_CLIENT_ID" "$DEMO_CLIENT_SECRET" fleet.admin)" ||
    die "fleet-api gave the demo client no fleet.admin token at $TOKEN_URL"
  DEMO_USER_EMAIL="admin-$suffix@demo.fleetline.test"
  ensure_demo_user "$token" "$DEMO_USER_EMAIL" "Demo administrator" fleet_admin FLEETLINE_DEMO_USER_PASSWORD
  # shellcheck disable=SC2034 # written to the env file by summary.sh
  DEMO_USER_PASSWORD="$USER_PASSWORD"
  DEMO_VIEWER_EMAIL="viewer-$suffix@demo.fleetline.test"
  ensure_demo_user "$token" "$DEMO_VIEWER_EMAIL" "Demo viewer" viewer FLEETLINE_DEMO_VIEWER_PASSWORD
  # shellcheck disable=SC2034 # written to the env file by summary.sh
  DEMO_VIEWER_PASSWORD="$USER_PASSWORD"
}

# One person of the demo fleet (token, email, display name, role, env key of the password); sets
# USER_PASSWORD.
ensure_demo_user() {
  local token="$1" email="$2" name="$3" role="$4" key="$5" users id password=""
  users="$API_URL/api/v1/admin/fleets/$DEMO_FLEET_ID/users"
  request_json GET "$token" "$users?limit=1000"
  [[ $HTTP_STATUS == 200 ]] || die "listing the demo fleet's people answered $HTTP_STATUS: $HTTP_BODY"
  id="$(jq -r --arg email "$email" '.items[] | select(.email == $email) | .id' <<<"$HTTP_BODY")"
  [[ ! -f $ENV_FILE ]] || password="$(env_value "$key")"
  if [[ -n $id && -n $password ]]; then
    say "reusing the demo person $email"
    USER_PASSWORD="$password"
    return 0
  fi
  password="$(random_password)"
  if [[ -n $id ]]; then
    say "giving the demo person $email a new password"
    request_json PATCH "$token" "$users/$id" \
      "$(jq -nc --arg p "$password" --arg r "$role" '{password: $p, role: $r, enabled: true}')"
    [[ $HTTP_STATUS == 200 ]] || die "changing $email answered $HTTP_STATUS: $HTTP_BODY"
  else
    say "creating the demo person $email ($role)"
    request_json POST "$token" "$users" \
      "$(jq -nc --arg e "$email" --arg n "$name" --arg r "$role" --arg p "$password" \
        '{email: $e, displayName: $n, role: $r, password: $p}')"
    [[ $HTTP_STATUS == 201 ]] || die "creating $email answered $HTTP_STATUS: $HTTP_BODY"
  fi
  USER_PASSWORD="$password"
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
    --vehicles "$DEMO" --protocols http=35,osmand=20,mqtt=20,teltonika=15,coap=10 --interval 5 \
    --env-file "$ENV_FILE"
}
