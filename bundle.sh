#!/usr/bin/env bash
# Builds a self-contained folder and .tar.gz to copy onto an offline inference server that may have no
# JDK: the seed's scripts and layout, every jar they need, a Java runtime made with jlink, and (unless
# --lite) what `./mvnw -o gatling:test` needs offline: the sources, the Maven distribution and a local
# repository. Run it on a machine that reaches Maven Central.
set -euo pipefail
usage() {
  cat <<'EOF'
usage: ./bundle.sh [--jdk DIR] [--lite] [--out DIR]
  --jdk DIR   the JDK whose runtime goes into the bundle; its platform is the bundle's (default: the
              newest JDK 17+ found: JAVA_HOME, /usr/lib/jvm/*, java on PATH). A JDK for another
              architecture (e.g. aarch64) is linked from its jmods/ with this machine's JDK of the same
              version, or copied whole when it has no jmods/
  --lite      without the Maven part (sources, Maven, repository): run_test.sh and friends only
  --out DIR   where the folder and the .tar.gz go (default: target)
examples:
  ./bundle.sh
  ./bundle.sh --lite
  ./bundle.sh --jdk /opt/jdk-17-aarch64 --out /tmp/bundles
EOF
}
jdk="" lite=false out=target
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jdk) jdk="${2:?--jdk needs a folder}"; shift 2 ;;
    --lite) lite=true; shift ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"
source bin/java.sh
llmbench_pick_java "$root" # the Java that builds (its jar tool too)
jar="$LLMBENCH_JAVA_HOME/bin/jar"
[[ -x "$jar" ]] || { echo "error: $LLMBENCH_JAVA_HOME is not a JDK (no bin/jar): set JAVA_HOME to a JDK 17 or newer" >&2; exit 2; }
if [[ -z "$jdk" ]]; then
  jdk="$(llmbench_newest_jdk)" || { echo "error: no JDK 17 or newer with jlink found; give one with --jdk DIR" >&2; exit 2; }
fi
[[ -f "$jdk/release" ]] || { echo "error: --jdk $jdk: not a JDK (no release file)" >&2; exit 2; }
field() { sed -n "s/^$1=\"\\(.*\\)\"/\\1/p" "$jdk/release"; }
jdk_version="$(field JAVA_VERSION)"
feature="${jdk_version%%.*}"
[[ "$feature" =~ ^[0-9]+$ && "$feature" -ge 17 ]] || { echo "error: --jdk $jdk is Java $jdk_version; 17 or newer needed" >&2; exit 2; }
[[ "$(field OS_NAME)" == Linux ]] || { echo "error: --jdk $jdk is for $(field OS_NAME); bundles are for Linux" >&2; exit 2; }
norm() { case "$1" in x86_64|amd64) echo x86_64 ;; aarch64|arm64) echo aarch64 ;; *) echo "$1" ;; esac; }
arch="$(norm "$(field OS_ARCH)")"
host_arch="$(norm "$(uname -m)")"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)"
name="gatling-llm-bench-$version-linux-$arch"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
b="$out/$name"
rm -rf "$b" "$out/$name.tar.gz"
mkdir -p "$b"
echo "bundle $name from $jdk (Java $jdk_version, $arch)" >&2

# 1. The jars: the project's classes (the simulations the scripts run among them), and every dependency.
echo "building the jars..." >&2
./mvnw -B -q -Pbundle -DskipTests package >&2
mkdir -p "$b/lib"
cp target/bundle-lib/*.jar "target/gatling-llm-bench-$version.jar" "$b/lib/"
# DJL's tokenizer jar carries native libraries for five platforms (40 MB): keep this bundle's
tok="$(ls "$b"/lib/tokenizers-*.jar)"
djl_arch=$([[ "$arch" == aarch64 ]] && echo linux-aarch64 || echo linux-x86_64)
"$jar" --list --file "$tok" | grep -q "^native/lib/$djl_arch/" || { echo "error: $tok has no $djl_arch native library" >&2; exit 1; }
ls "$b"/lib/netty-transport-native-epoll-*-linux-"$([[ "$arch" == aarch64 ]] && echo aarch_64 || echo x86_64)".jar >/dev/null \
  || { echo "error: no Netty epoll jar for $arch among the dependencies" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tok"
(cd "$work/tok" && "$jar" --extract --file "$tok" && find native/lib -mindepth 1 -maxdepth 1 -type d ! -name "$djl_arch" -exec rm -rf {} + \
  && mv META-INF/MANIFEST.MF "$work/MANIFEST.MF" \
  && "$jar" --create --file "$work/t.jar" --manifest "$work/MANIFEST.MF" -C "$work/tok" .)
mv "$work/t.jar" "$tok"
echo "gatling-llm-bench $version for linux-$arch, Java $jdk_version; built $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$b/lib/BUNDLE"

# 2. The Java runtime. jdk.compiler: the bundle's Maven compiles the simulations.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs
modules+=,java.sql,java.xml,jdk.compiler,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
compress=$([[ "$feature" -ge 21 ]] && echo zip-6 || echo 2)
link=(--add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress="$compress" --output "$b/runtime")
echo "linking the Java runtime..." >&2
if [[ "$arch" == "$host_arch" ]]; then
  "$jdk/bin/jlink" "${link[@]}" # from its jmods/, or from its own image (JDK 24+ without jmods/)
elif [[ -d "$jdk/jmods" ]]; then
  host_jdk=""
  for h in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$h" && -x "$h/bin/jlink" && "$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$h/release" 2>/dev/null)" == "$jdk_version" ]] && host_jdk="$h" && break
  done
  [[ -n "$host_jdk" ]] || { echo "error: linking a $arch runtime needs a JDK $jdk_version for this machine ($host_arch) too" >&2; exit 2; }
  "$host_jdk/bin/jlink" --module-path "$jdk/jmods" "${link[@]}"
else
  cp -a "$jdk" "$b/runtime" # no jmods/ to link from: the whole JDK
fi

# 3. The seed's layout and scripts.
cp README.md run_test.sh run_vision_test.sh mock_server.sh postprocess.sh report.sh compare.sh merge.sh "$b/"
mkdir -p "$b/bin" "$b/fake_model" "$b/output"
cp bin/classpath.sh bin/java.sh bin/client-jvm.args "$b/bin/"
cp fake_model/README.md "$b/fake_model/"
cp output/README.md "$b/output/"

# 4. What `./mvnw -o gatling:test` needs: the sources, the Maven distribution and a local repository,
#    filled by running that command once here (online), with the bundle's own runtime where it runs.
if ! $lite; then
  cp -r pom.xml src .mvn "$b/"
  # Maven's wrapper, in a folder of its own: it must be named mvnw and reads .mvn/ beside itself
  mkdir -p "$b/.maven/.mvn/wrapper"
  cp mvnw "$b/.maven/mvnw"
  cp .mvn/wrapper/maven-wrapper.properties "$b/.maven/.mvn/wrapper/"
  cat > "$b/mvnw" <<'EOF'
#!/usr/bin/env bash
# The bundle's Maven: the distribution (.m2/), the repository (maven-repo/) and the Java runtime of this
# folder; `./mvnw -o ...` runs offline. The same arguments as Maven's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/bin/java.sh"
llmbench_pick_java "$here"
export JAVA_HOME="$LLMBENCH_JAVA_HOME" MAVEN_USER_HOME="$here/.m2"
exec "$here/.maven/mvnw" -Dmaven.repo.local="$here/maven-repo" "$@"
EOF
  chmod +x "$b/mvnw"
  echo "filling the bundle's Maven repository (one LowLoad run against the in-process mock)..." >&2
  aside=""
  if [[ "$arch" != "$host_arch" ]]; then
    aside="$work/runtime" && mv "$b/runtime" "$aside" # it cannot run here: this machine's JDK fills it
  fi
  if ! (cd "$b" && JAVA_HOME="${JAVA_HOME:-$LLMBENCH_JAVA_HOME}" ./mvnw -B gatling:test -Dgatling.simulationClass=LowLoad \
       -Dllm.mock=true -Dllm.levels=1 -Dllm.output=5 -Dllm.clientWarmup=false -Dllm.out="$work/out" > "$work/fill.log" 2>&1); then
    tail -n 30 "$work/fill.log" >&2
    echo "error: filling the bundle's Maven repository failed (above)" >&2
    exit 1
  fi
  [[ -z "$aside" ]] || mv "$aside" "$b/runtime"
  rm -rf "$b/target"
  # lib/ and the repository hold the same jars: one copy on disk and in the archive (hard links)
  for j in "$b"/lib/*.jar; do
    twin="$(find "$b/maven-repo" -name "$(basename "$j")" -print -quit)"
    if [[ -n "$twin" ]] && cmp -s "$j" "$twin"; then
      ln -f "$twin" "$j"
    fi
  done
fi

# 5. The archive, and what takes the space.
tar -C "$out" -czf "$out/$name.tar.gz" "$name"
echo "bundle: $b" >&2
du -sh "$b"/* "$b"/.m2 2>/dev/null | sort -hr | sed 's/^/  /' >&2 # du counts a hard-linked jar once
echo "folder $(du -sh "$b" | cut -f1), archive $(du -h "$out/$name.tar.gz" | cut -f1): $out/$name.tar.gz" >&2
echo "$out/$name.tar.gz"
