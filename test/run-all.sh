#!/usr/bin/env bash
# `npm test`: every test — type check, lint, unit, HTTP integration, property, fuzz, differential,
# the admin's component tests, and end-to-end tests in Debian's Chromium — first on SQLite, then
# the server's tests that open a database again on PostgreSQL (TEST_POSTGRES_URL, by default the
# local server on 5432).
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests need Debian's chromium (and CJK fonts for readable screenshots). Install them
# when they are missing and we can; stop with a clear message when we cannot — never skip.
if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the admin's browser tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "error: the admin's browser tests need Chromium at /usr/bin/chromium." >&2
    echo "       Install it (Debian: 'sudo apt-get install chromium fonts-noto-cjk') or set CHROMIUM_PATH." >&2
    exit 1
  fi
fi

# The PostgreSQL pass needs a server: start the local cluster when it is down and we can; stop
# with a clear message when we cannot — never skip.
TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
bash test/postgres-up.sh "$TEST_POSTGRES_URL"

npx tsc --noEmit
npx biome check --error-on-warnings .
npm run build
echo "── every test, on SQLite"
npx vitest run
# Every database a test opens comes through these helpers or the database module: the files that
# use none of them compute the same on either database, and run once, above.
mapfile -t database_tests < <(grep -lE "helpers/(test-app|test-database|service-process|private-postgres)\.ts|openDatabase|connectDatabase" -r server shared test --include='*.test.ts' | sort)
echo "── the server's tests that open a database (${#database_tests[@]} files), again on PostgreSQL ($TEST_POSTGRES_URL)"
TEST_DATABASE_URL="$TEST_POSTGRES_URL" npx vitest run --project node "${database_tests[@]}"
