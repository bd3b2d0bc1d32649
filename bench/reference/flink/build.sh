#!/usr/bin/env bash
# Builds the Flink reference once: skips Maven when target/eddy-flink-reference.jar is newer than
# pom.xml and every file under src/. Dependencies go to a repository inside this folder
# (.m2, git-ignored) so that CI can cache it; override with MAVEN_REPO_LOCAL.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
jar=target/eddy-flink-reference.jar
if [[ -f "$jar" && -d target/lib ]] && [[ -z "$(find pom.xml src -newer "$jar" -print -quit)" ]]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "build.sh: Maven (mvn) is needed, with Java 17+" >&2; exit 1; }
rm -rf target/lib
mvn -q -B -Dstyle.color=never -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$here/.m2}" package >&2
