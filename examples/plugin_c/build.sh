#!/bin/sh
# Builds examples/plugin_c into build/component.wasm: clang (wasm32, wasi-libc's malloc only, no
# WASI imports) -> core module -> optimised with the pinned npm binaryen and made a component
# (componentize.ts). Needs Debian clang, lld, wasi-libc.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
CC=${CC:-clang}
mkdir -p "$here/build"
"$CC" --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi \
  -O3 -msimd128 -mbulk-memory -c -o "$here/build/plugin.o" "$here/plugin.c"
# Link without any -O flag: with one, clang runs a wasm-opt found on PATH and passes it no feature
# flags, which fails on SIMD code and makes the output depend on PATH. Keep the target_features
# section (--strip-debug, not --strip-all): componentize.ts optimises with the features it lists.
# -nostdlib + libc.a: link only what is used (malloc), without compiler-rt builtins.
"$CC" --target=wasm32-wasi -nostdlib -Wl,--no-entry -Wl,--strip-debug \
  -o "$here/build/core.wasm" "$here/build/plugin.o" /usr/lib/wasm32-wasi/libc.a
deno run -A "$here/componentize.ts" "$here/build/core.wasm" "$here/build/component.wasm"
