#!/usr/bin/env bash
# Mutation testing (issue 20): PIT mutates the main classes of the modules asked for and runs their unit tests
# (*Test, never *IT) against each mutant; then this prints the score and the test strength per package and per
# module. Not part of the README's test command (`./mvnw -B verify`): it takes minutes per module.
#
#   scripts/mutation-test.sh                 # common, agent and gateway
#   scripts/mutation-test.sh common agent    # only these (the reactor still compiles what they depend on)
#   scripts/mutation-test.sh --report-only   # print the tables of the last run again
#   scripts/mutation-test.sh agent -- -Dverbosity=VERBOSE_NO_SPINNER   # after --: passed on to Maven
#
# Reports: <module>/target/pit-reports/index.html (browse the survivors) and mutations.xml (read here).
# score    = detected / all mutants      (detected: killed, timed out, memory or run error in the mutant)
# strength = detected / covered mutants  (covered: some unit test runs the mutated line)
# timed-out: mutants detected because their tests ran into PIT's timeout; each one costs a new test JVM, so this
#            column says where a slow run spends its time (VERBOSE_NO_SPINNER, above, logs each mutant as it runs).
set -euo pipefail
cd "$(dirname "$0")/.."

all_modules=(common agent gateway)
report_only=false
modules=()
maven_args=()
while [ $# -gt 0 ]; do
    arg="$1"
    shift
    case "$arg" in
        --) maven_args=("$@"); break ;;
        --report-only) report_only=true ;;
        common | agent | gateway) modules+=("$arg") ;;
        -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "mutation-test: unknown module or option '$arg' (modules: ${all_modules[*]})" >&2; exit 2 ;;
    esac
done
[ ${#modules[@]} -gt 0 ] || modules=("${all_modules[@]}")

if [ "$report_only" = false ]; then
    targets=()
    for module in "${modules[@]}"; do
        targets+=("io.benchlink.$module.*")
        rm -rf "$module/target/pit-reports"
    done
    # The whole reactor compiles (the agent's tests need the gateway's classes), but only the classes of the
    # modules asked for are mutated; a module without target classes finishes at once.
    # Some mutants of the agent's config reading make ExampleConfigTest create the example's spool and native
    # directories; remove those the run created, keep any that were there before.
    leftovers=()
    for path in agent/spool docs/examples/spool docs/examples/native; do
        [ -e "$path" ] || leftovers+=("$path")
    done
    status=0
    ./mvnw -B -Pmutation test-compile org.pitest:pitest-maven:mutationCoverage \
        -Dmutation.targetClasses="$(IFS=,; echo "${targets[*]}")" ${maven_args[@]+"${maven_args[@]}"} || status=$?
    for path in "${leftovers[@]}"; do
        rm -rf "$path"
    done
    [ "$status" -eq 0 ] || exit "$status"
fi

# One <mutation .../> per line in PIT's XML; print one "package status" pair per mutant.
summarise() {
    sed -n "s/.*<mutation detected='\([a-z]*\)' status='\([A-Z_]*\)'.*<mutatedClass>\([^<]*\)<.*/\3 \2 \1/p" "$1" |
        awk '{
            pkg = $1; sub(/\.[^.]*$/, "", pkg); sub(/\$.*/, "", pkg)
            total[pkg]++; all++
            if ($3 == "true") { detected[pkg]++; det++ }
            if ($2 != "NO_COVERAGE") { covered[pkg]++; cov++ }
            if ($2 == "TIMED_OUT") { timedout[pkg]++; tout++ }
        }
        function pct(a, b) { return b == 0 ? "  -  " : sprintf("%4.0f %%", 100 * a / b) }
        function row(name, t, d, c, o) {
            printf "  %-40s %7d %8d %10d %9d %7s %9s\n", name, t, d, t - c, o, pct(d, t), pct(d, c)
        }
        END {
            for (pkg in total) row(pkg, total[pkg], detected[pkg] + 0, covered[pkg] + 0, timedout[pkg] + 0)
            row("~MODULE " module, all, det + 0, cov + 0, tout + 0)
        }' module="$2" | LC_ALL=C sort | sed 's/~MODULE/MODULE/'
}

echo
echo "Mutation testing (PIT, unit tests only)"
for module in "${modules[@]}"; do
    xml="$module/target/pit-reports/mutations.xml"
    echo
    echo "== $module ($xml)"
    if [ ! -s "$xml" ]; then
        echo "  no report (did the run fail?)"
        continue
    fi
    printf "  %-40s %7s %8s %10s %9s %7s %9s\n" package mutants detected no-cover timed-out score strength
    summarise "$xml" "$module"
done
