#!/usr/bin/env bash
# Builds llama.cpp's llama-server from the source bundled in the npm package node-llama-cpp,
# into a cache folder, once. Prints the path of the binary as its last line.
#
#   scripts/build-llama-server.sh [--home DIR] [--cache-dir DIR]
#
# The binary goes to <cache dir>/llama-server/<node-llama-cpp version>/bin/llama-server,
# where the cache dir defaults to <home>/cache and home to $LLAMA_ASPIRE_HOME or ~/.llama-aspire.
# An existing build is reused; a half-finished one is never mistaken for a finished one.
set -euo pipefail

NODE_LLAMA_CPP_VERSION="${NODE_LLAMA_CPP_VERSION:-3.22.1}"
HOME_DIR="${LLAMA_ASPIRE_HOME:-$HOME/.llama-aspire}"
CACHE_ROOT=""

while [ $# -gt 0 ]; do
  case "$1" in
    --home) HOME_DIR="$2"; shift 2 ;;
    --home=*) HOME_DIR="${1#--home=}"; shift ;;
    --cache-dir) CACHE_ROOT="$2"; shift 2 ;;
    --cache-dir=*) CACHE_ROOT="${1#--cache-dir=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build-llama-server: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

CACHE_DIR="${CACHE_ROOT:-$HOME_DIR/cache}/llama-server/$NODE_LLAMA_CPP_VERSION"
BINARY="$CACHE_DIR/bin/llama-server"

if [ -x "$BINARY" ] && [ -f "$CACHE_DIR/.complete" ]; then
  echo "build-llama-server: reusing $BINARY" >&2
  echo "$BINARY"
  exit 0
fi

missing=()
for tool in npm cmake g++ git tar; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-llama-server: missing ${missing[*]}; install them (Debian: apt-get install nodejs npm cmake g++ git tar) and run again" >&2
  exit 3
fi

mkdir -p "$CACHE_DIR"
# One build at a time per cache folder: concurrent test runs wait instead of racing.
exec 9>"$CACHE_DIR/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -x "$BINARY" ] && [ -f "$CACHE_DIR/.complete" ]; then echo "$BINARY"; exit 0; fi

WORK="$CACHE_DIR/work"
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

echo "build-llama-server: fetching node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >&2
npm pack --silent "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" >/dev/null
tar -xzf "node-llama-cpp-$NODE_LLAMA_CPP_VERSION.tgz" package/llama/gitRelease.bundle package/llama/binariesGithubRelease.json 2>/dev/null \
  || tar -xzf "node-llama-cpp-$NODE_LLAMA_CPP_VERSION.tgz" package/llama/gitRelease.bundle
git -c advice.detachedHead=false clone -q package/llama/gitRelease.bundle llama.cpp
if [ -f package/llama/binariesGithubRelease.json ]; then cp package/llama/binariesGithubRelease.json "$CACHE_DIR/release.json"; fi

echo "build-llama-server: configuring (cmake)" >&2
cmake -S llama.cpp -B build -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DLLAMA_OPENSSL=OFF \
  -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DGGML_NATIVE=ON >build.log 2>&1 \
  || { tail -n 30 build.log >&2; exit 4; }

echo "build-llama-server: building llama-server on $(nproc) cores (about 3-4 minutes)" >&2
cmake --build build --target llama-server -j "$(nproc)" >>build.log 2>&1 \
  || { tail -n 30 build.log >&2; exit 4; }

mkdir -p "$CACHE_DIR/bin"
cp build/bin/llama-server "$BINARY.tmp"
mv "$BINARY.tmp" "$BINARY"
# The vocab GGUF files written by llama.cpp's own tools, kept for the GGUF reader's tests.
mkdir -p "$CACHE_DIR/vocab"
cp llama.cpp/models/ggml-vocab-*.gguf "$CACHE_DIR/vocab/" 2>/dev/null || true
git -C llama.cpp log -1 --format=%H >"$CACHE_DIR/commit" 2>/dev/null || true
cd "$CACHE_DIR"
rm -rf "$WORK"
touch "$CACHE_DIR/.complete"
echo "build-llama-server: built $BINARY" >&2
echo "$BINARY"
