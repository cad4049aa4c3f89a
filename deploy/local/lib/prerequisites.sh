# Sourced by deploy/local/up.sh (functions only): finding Java, PostgreSQL + PostGIS, Mosquitto,
# curl, jq and openssl, and installing the Debian packages that are missing.
# Reads up.sh's JAVA; sets PG_BIN, MOSQUITTO and MISSING_PACKAGES.
# shellcheck shell=bash

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
