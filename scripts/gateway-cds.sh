#!/bin/sh
# Makes the gateway's AppCDS archive (docs/OPERATIONS.md §2): the classes a start loads, parsed and laid out once,
# so that later starts map them instead (issue 18: start-up at 10 M events measured 3.9 s without, 1.8 s with).
#
#   gateway-cds.sh JAR ARCHIVE     make ARCHIVE for JAR, unless it was already made (or tried) for this JAR and java
#
# How: one start of the gateway from JAR with -XX:ArchiveClassesAtExit (JDK 17's dynamic archive), on 127.0.0.1 with
# ports chosen by the system and a throwaway store, stopped with SIGTERM once it listens; the JVM writes the archive
# as it exits. Nothing of the real service is touched (no config, no store, no log directory).
# ARCHIVE.stamp names the jar (size, time) and the java it was made for: while both are unchanged this exits at
# once, so the systemd unit can run it before every start; a new jar or JDK gets a new archive. A start with a
# missing or stale archive still works (-Xshare:auto: the JVM loads the classes from the jar, as without one).
# Exit: 0 made or up to date, 1 could not make it (reason on stderr; not retried for the same jar and java),
# 2 usage. Settings: JAVA (java on PATH), JAVA_OPTS (the service's heap options), CDS_WAIT (60 s until listening).
set -u

say() { printf 'gateway-cds: %s\n' "$*"; }
[ $# -eq 2 ] || { say "usage: gateway-cds.sh JAR ARCHIVE" >&2; exit 2; }
jar="$1"
archive="$2"
java="${JAVA:-java}"
[ -f "$jar" ] || { say "$jar not found" >&2; exit 2; }
java_bin="$(command -v "$java")" || { say "java not found ($java)" >&2; exit 1; }
java_real="$(readlink -f "$java_bin")"
# what an archive is valid for: the JVM itself checks the jar's size and time, and the JDK's build
id="jar $(stat -L -c '%s %Y' "$jar") java $java_real $(stat -L -c '%s %Y' "$java_real")"
stamp="$archive.stamp"
if [ -f "$stamp" ]; then
    case "$(cat "$stamp")" in
        "made $id") [ -f "$archive" ] && exit 0 ;;
        "failed $id") exit 0 ;; # tried for this jar and java already: not again at every start
    esac
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/benchlink-cds.XXXXXX")" || { say "cannot make a temporary directory" >&2; exit 1; }
pid=""
cleanup() {
    [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

failed() {
    say "no archive made for $jar: $1" >&2
    tail -n 5 "$work/gateway.out" 2>/dev/null | sed 's/^/gateway-cds:   /' >&2
    rm -f "$archive.tmp"
    printf 'failed %s\n' "$id" >"$stamp" 2>/dev/null
    exit 1
}

started=$(date +%s)
# BENCHLINK_LOG_DIR unset: the trial start logs to $work, never into the service's log files.
# -Xlog:cds=off: the JVM lists every class it cannot archive (picocli's, built for Java 5) as a warning.
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
env -u BENCHLINK_LOG_DIR "$java" ${JAVA_OPTS:-} -XX:ArchiveClassesAtExit="$archive.tmp" -Xlog:cds=off \
    -Xlog:cds+dynamic=off -jar "$jar" --bind 127.0.0.1 --port 0 --http-port 0 --data-dir "$work/data" \
    --allow-anonymous --offline-grace 3600 >"$work/gateway.out" 2>&1 &
pid=$!
running() { # an exited child stays a zombie until waited for, and kill -0 still reaches a zombie
    [ -r "/proc/$pid/stat" ] && [ "$(sed 's/^.*) //' "/proc/$pid/stat" | cut -c1)" != Z ]
}
waited=0
until grep -q 'gateway listening on' "$work/gateway.out" 2>/dev/null; do
    running || { wait "$pid"; pid=""; failed "the trial start exited before it listened"; }
    [ "$waited" -lt $(( ${CDS_WAIT:-60} * 10 )) ] || failed "the trial start did not listen within ${CDS_WAIT:-60} s"
    sleep 0.1
    waited=$((waited + 1))
done
kill -TERM "$pid"
( sleep 30; kill -KILL "$pid" 2>/dev/null ) & # it stops within seconds (TimeoutStopSec=20 in the unit)
watchdog=$!
wait "$pid"
code=$?
pid=""
kill "$watchdog" 2>/dev/null
# 0: stopped by its own handler; 143: SIGTERM before the handler was installed (the unit's SuccessExitStatus)
[ "$code" -eq 0 ] || [ "$code" -eq 143 ] || failed "the trial start exited with $code"
[ -s "$archive.tmp" ] || failed "the JVM wrote no archive"
mv -f "$archive.tmp" "$archive" || failed "cannot write $archive"
printf 'made %s\n' "$id" >"$stamp" || failed "cannot write $stamp"
say "made $archive for $jar in $(( $(date +%s) - started )) s ($(stat -c %s "$archive") bytes)"
