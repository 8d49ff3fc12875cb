#!/usr/bin/env bash
# Compiles the hand-written C kernels (Sources/CPUKernels) for aarch64 Linux, syntax and semantics only,
# so that an x86-only construct (an intrinsic header outside `#if __x86_64__`, a CPU-feature builtin)
# shows up without an arm64 machine. Uses the Swift toolchain's clang and Debian's aarch64 C headers
# (libc6-dev-arm64-cross, installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG="$(dirname "$(readlink -f "$(command -v swift)")")/clang"
[ -x "$CLANG" ] || CLANG="$(command -v clang || true)"
[ -n "$CLANG" ] || { echo "check-kernels-aarch64: no clang found" >&2; exit 1; }
SYSROOT=/usr/aarch64-linux-gnu
if [ ! -f "$SYSROOT/include/stdio.h" ]; then
    echo "check-kernels-aarch64: installing libc6-dev-arm64-cross (aarch64 C headers)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libc6-dev-arm64-cross >/dev/null
fi
for source in Sources/CPUKernels/*.c; do
    "$CLANG" --target=aarch64-linux-gnu -isystem "$SYSROOT/include" -fsyntax-only -Wall -Werror -O3 \
        -I Sources/CPUKernels/include "$source"
done
echo "check-kernels-aarch64: $(ls Sources/CPUKernels/*.c | wc -l) C files compile for aarch64 with $("$CLANG" --version | head -1)"
