#!/usr/bin/env bash
# Installs Benchlink as systemd services (Linux).
#
#   sudo scripts/install.sh                 install gateway and agent under /
#   scripts/install.sh --root /tmp/r        install into a throwaway root (no user, no systemctl: printed instead)
#   options: --gateway-only | --agent-only, --jars DIR (default: the build's target directories)
#
# Layout: /opt/benchlink/*.jar and docs, /etc/benchlink/{gateway,agent}.json (never overwritten; the examples are
# always refreshed next to them as *.example.json), /etc/systemd/system/benchlink-{gateway,agent}.service,
# /var/lib/benchlink/{gateway,agent} (store, spool), /var/log/benchlink (rolling log files), and the gateway's AppCDS
# archive /var/lib/benchlink/gateway/benchlink-gateway.jsa (made by /opt/benchlink/gateway-cds.sh: one trial start).
# With --root / it also creates the system user "benchlink" (in group dialout, for serial ports) and reloads systemd;
# it never enables or starts a service: that is your decision (see docs/OPERATIONS.md).
set -euo pipefail

SRC="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="/"
JARS=""
WANT_GATEWAY=1
WANT_AGENT=1

die() { printf 'install: %s\n' "$*" >&2; exit 2; }
say() { printf 'install: %s\n' "$*"; }

while [ $# -gt 0 ]; do
    case "$1" in
        --root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT="$2"; shift 2 ;;
        --root=*) ROOT="${1#--root=}"; shift ;;
        --jars) [ $# -ge 2 ] || die "--jars needs a directory"; JARS="$2"; shift 2 ;;
        --gateway-only) WANT_AGENT=0; shift ;;
        --agent-only) WANT_GATEWAY=0; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[ "$WANT_GATEWAY$WANT_AGENT" != "00" ] || die "--gateway-only and --agent-only exclude each other"
[ -d "$ROOT" ] || die "--root $ROOT is not a directory"
ROOT="$(cd "$ROOT" && pwd)"
R="${ROOT%/}"   # prefix for every path; empty when installing under /
REAL=0
[ "$ROOT" = "/" ] && REAL=1
if [ "$REAL" = 1 ] && [ "$(id -u)" != 0 ]; then
    die "installing under / needs root (sudo), or use --root DIR to try it in a directory"
fi

jar() { # the jar of $1 (gateway|agent)
    if [ -n "$JARS" ]; then printf '%s/benchlink-%s.jar' "$JARS" "$1"; else printf '%s/%s/target/benchlink-%s.jar' "$SRC" "$1" "$1"; fi
}
for app in gateway agent; do
    want="WANT_${app^^}"
    if [ "${!want}" = 1 ] && [ ! -f "$(jar "$app")" ]; then
        die "$(jar "$app") not found: build first (./mvnw -B -DskipTests package)"
    fi
done

install -d -m 755 "$R/opt/benchlink" "$R/opt/benchlink/docs" "$R/etc/benchlink" "$R/etc/systemd/system" \
    "$R/var/lib/benchlink" "$R/var/log/benchlink"
install -m 644 "$SRC/docs/OPERATIONS.md" "$R/opt/benchlink/docs/OPERATIONS.md"

check_args() { # how each program validates its installed config
    if [ "$1" = gateway ]; then printf -- '--config /etc/benchlink/gateway.json check-config'
    else printf -- 'check-config --config /etc/benchlink/agent.json'; fi
}

# config: the example with the service's absolute paths; an existing config is kept as it is
install_config() { # $1 app, $2 sed script turning the example's relative paths into the service's
    local example="$R/etc/benchlink/$1.example.json" config="$R/etc/benchlink/$1.json"
    sed -e "$2" "$SRC/docs/examples/$1.example.json" >"$example"
    chmod 644 "$example"
    if [ -e "$config" ]; then
        say "kept existing $config (the new example is $example)"
    else
        install -m 640 "$example" "$config"
        say "wrote $config (edit it; check it with: java -jar /opt/benchlink/benchlink-$1.jar $(check_args "$1"))"
    fi
}

for app in gateway agent; do
    want="WANT_${app^^}"
    [ "${!want}" = 1 ] || continue
    install -m 644 "$(jar "$app")" "$R/opt/benchlink/benchlink-$app.jar"
    install -m 644 "$SRC/scripts/systemd/benchlink-$app.service" "$R/etc/systemd/system/benchlink-$app.service"
    install -d -m 750 "$R/var/lib/benchlink/$app"
    if [ "$app" = gateway ]; then # makes the AppCDS archive (docs/OPERATIONS.md §2)
        install -m 755 "$SRC/scripts/gateway-cds.sh" "$R/opt/benchlink/gateway-cds.sh"
    fi
    say "installed /opt/benchlink/benchlink-$app.jar and /etc/systemd/system/benchlink-$app.service"
done
[ "$WANT_GATEWAY" = 1 ] && install_config gateway 's#"data_dir": "data"#"data_dir": "/var/lib/benchlink/gateway/data"#'
[ "$WANT_AGENT" = 1 ] && install_config agent \
    's#"spool_dir": "spool"#"spool_dir": "/var/lib/benchlink/agent/spool"#; s#"native_dir": "native"#"native_dir": "/var/lib/benchlink/agent/native"#'

# user, ownership, systemd: only for a real install; otherwise say what would be done
ACCOUNT_STEPS=(
    "getent group benchlink >/dev/null || groupadd --system benchlink"
    "id benchlink >/dev/null 2>&1 || useradd --system --gid benchlink --home-dir /var/lib/benchlink --shell /usr/sbin/nologin benchlink"
    "getent group dialout >/dev/null && usermod -a -G dialout benchlink || true"
    "chown -R benchlink:benchlink /var/lib/benchlink /var/log/benchlink"
    "chown root:benchlink /etc/benchlink/*.json"
    "systemctl daemon-reload"
)
# the gateway's AppCDS archive for the jar just installed, made as the service user (the unit remakes it by itself
# when the jar or the JDK changes; a failure here only costs start-up time)
if [ "$WANT_GATEWAY" = 1 ]; then
    ACCOUNT_STEPS+=("runuser -u benchlink -- /bin/sh /opt/benchlink/gateway-cds.sh /opt/benchlink/benchlink-gateway.jar /var/lib/benchlink/gateway/benchlink-gateway.jsa || true")
fi
if [ "$REAL" = 1 ]; then
    for step in "${ACCOUNT_STEPS[@]}"; do
        if [ "$step" = "systemctl daemon-reload" ] && ! [ -d /run/systemd/system ]; then
            say "systemd is not running here: skipped 'systemctl daemon-reload'"
            continue
        fi
        sh -c "$step"
    done
else
    say "not under /: would now run, as root:"
    for step in "${ACCOUNT_STEPS[@]}"; do printf '    %s\n' "$step"; done
fi
say "done. Next: edit /etc/benchlink/*.json, then 'systemctl enable --now benchlink-gateway' (and/or benchlink-agent)"
