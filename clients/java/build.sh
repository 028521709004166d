#!/usr/bin/env bash
# Builds the Java client into one jar with the JDK alone (javac, jar): no Maven or Gradle.
#   clients/java/build.sh [OUT_DIR]       (default: clients/java/build)
# The jar holds org.supvisors.{common,rpc,event}, the example command (its Main-Class) and the
# classes of Debian's JeroMQ (libjeromq-java, MPL 2.0), so `java -jar` needs nothing else.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "${1:-$here/build}" && cd "${1:-$here/build}" && pwd)"
jeromq="${JEROMQ_JAR:-/usr/share/java/jeromq.jar}"
release="${JAVA_RELEASE:-17}"

command -v javac >/dev/null || { echo "build.sh: javac not found (Debian: apt-get install openjdk-17-jdk-headless)" >&2; exit 1; }
[ -f "$jeromq" ] || { echo "build.sh: $jeromq not found (Debian: apt-get install libjeromq-java)" >&2; exit 1; }

classes="$out/classes"
rm -rf "$classes"
mkdir -p "$classes"
find "$here/src" "$here/example" -name '*.java' > "$out/sources.txt"
javac --release "$release" -encoding UTF-8 -Xlint:-options -d "$classes" -cp "$jeromq" @"$out/sources.txt"
rm "$out/sources.txt"

# JeroMQ inside, without its signature-free manifest.
(cd "$classes" && jar xf "$jeromq" org zmq)

version="$(sed -nE 's/^  "version": "([^"]+)".*/\1/p' "$here/../../package.json")"
jar="$out/supvisors-client-$version.jar"
jar --create --file "$jar" --main-class org.supvisors.example.Status -C "$classes" .
ln -sf "$(basename "$jar")" "$out/supvisors-client.jar"
rm -rf "$classes"
echo "$jar"
