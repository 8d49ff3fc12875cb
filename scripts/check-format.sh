#!/usr/bin/env bash
# The Swift sources in the layout of .swift-format (4-space indentation, lines up to 150 columns,
# sorted imports). `swift format` ships with the toolchain; to fix what this reports:
#   swift format format --in-place --recursive --parallel Sources Tests Benchmarks/Sources Package.swift
set -euo pipefail
cd "$(dirname "$0")/.."
if ! swift format --version > /dev/null 2>&1; then
    echo "check-format: this toolchain has no 'swift format'; skipped" >&2
    exit 0
fi
if swift format lint --strict --recursive --parallel Sources Tests Benchmarks/Sources Package.swift; then
    echo "check-format: every Swift file is formatted as .swift-format says"
else
    echo "check-format: the files above are not formatted; run: swift format format --in-place --recursive --parallel Sources Tests Benchmarks/Sources Package.swift" >&2
    exit 1
fi
