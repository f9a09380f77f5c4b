#!/usr/bin/env bash
# Makes sure the PostgreSQL server at $1 answers: when it is the local cluster and it is down, starts it
# (Debian's pg_ctlcluster, as root); otherwise stops with a clear message.
set -euo pipefail
url="$1"
answers() { node -e '
  const pg = require("pg");
  const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
  client.connect().then(() => client.end(), () => process.exit(1));' "$url"; }

answers && exit 0
if [ "$(id -u)" = "0" ] && command -v pg_ctlcluster >/dev/null && [[ "$url" == *@127.0.0.1:5432/* || "$url" == *@localhost:5432/* ]]; then
  echo "Starting the local PostgreSQL cluster for the PostgreSQL test pass…"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 1 30); do answers && exit 0; sleep 1; done
fi
echo "error: the tests run a second time on PostgreSQL, and $url does not answer." >&2
echo "       Start PostgreSQL (Debian: 'sudo pg_ctlcluster <version> main start'), or set TEST_POSTGRES_URL" >&2
echo "       to a server where user may create databases (postgres://user@host:port/maintenance-db)." >&2
exit 1
