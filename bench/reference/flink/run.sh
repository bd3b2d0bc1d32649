#!/usr/bin/env bash
# Builds if needed (build.sh), then runs eddy.reference.Run with the given flags, e.g.
#   bench/reference/flink/run.sh --query q5 --events 1000000 --parallelism 2
# JAVA_OPTS adds JVM options (e.g. -Xmx2g). The JSON report is the last line of standard output.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/build.sh" >&2
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -cp "$here/target/eddy-flink-reference.jar:$here/target/lib/*" eddy.reference.Run "$@"
