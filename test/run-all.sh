#!/usr/bin/env bash
# `npm test`: every test — unit, HTTP integration, property, fuzz and differential.
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit
npx vitest run
