#!/bin/sh
# Builds examples/plugin_c into build/component.wasm: clang (wasm32, wasi-libc's malloc only, no
# WASI imports) -> core module -> component (componentize.ts). Needs Debian clang, lld, wasi-libc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-clang}
mkdir -p "$here/build"
# -nostdlib + libc.a: link only what is used (malloc), without compiler-rt builtins.
"$CC" --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi \
  -O3 -msimd128 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--strip-all \
  -o "$here/build/core.wasm" "$here/plugin.c" /usr/lib/wasm32-wasi/libc.a
deno run -A "$here/componentize.ts" "$here/build/core.wasm" "$here/build/component.wasm"
