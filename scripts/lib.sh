# Shared helpers for scripts/demo and scripts/test. Source it from the repository root.

PYTHON=${PYTHON:-python3}

lock_stamp() {
  # The stamp that says which lock file (and project metadata) .venv was installed from.
  local lock_file=$1
  cat "$lock_file" pyproject.toml | sha256sum | cut -d' ' -f1
}

venv_is_current() {
  # True when .venv was installed from exactly this lock file and pyproject.toml.
  local lock_file=$1 stamp_file=".venv/.citywatch-$(basename "$1").sha256"
  [ -x .venv/bin/python ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$(lock_stamp "$lock_file")" ]
}

ensure_venv() {
  # Create .venv if needed and install the pinned requirements plus CityWatch itself; skipped
  # when the lock file and pyproject.toml are unchanged since the last install (a stamp file
  # in .venv holds their hash), so a second start takes seconds.
  local lock_file=$1 stamp_file=".venv/.citywatch-$(basename "$1").sha256"
  if venv_is_current "$lock_file"; then
    return 0
  fi
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$lock_file"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
  lock_stamp "$lock_file" > "$stamp_file"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Need root to run: $*" >&2; return 1; fi
}

ensure_debian_packages() {
  # Install the Debian packages named, when any of them is missing.
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "== Installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

postgres_bin() {
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
  else
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
  fi
}

start_postgres() {
  # Start a private PostgreSQL server listening only on a Unix socket in $1.
  local dir=$1 bin
  bin=$(postgres_bin)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    su postgres -c "$bin/initdb -A trust -U postgres -D $dir/data" >/dev/null
    su postgres -c "$bin/pg_ctl -D $dir/data -o \"-k $dir -c listen_addresses=\" -w -l $dir/log start" >/dev/null
  else
    "$bin/initdb" -A trust -U postgres -D "$dir/data" >/dev/null
    "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -c listen_addresses=" -w -l "$dir/log" start >/dev/null
  fi
}

stop_postgres() {
  local dir=$1 bin
  bin=$(postgres_bin)
  if [ "$(id -u)" = 0 ]; then
    su postgres -c "$bin/pg_ctl -D $dir/data -m fast -w stop" >/dev/null || true
  else
    "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
}
