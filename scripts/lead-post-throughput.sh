#!/usr/bin/env bash
# Leads per second of `crmwire lead post` to a `crmwire sandbox` child, with
# the durable delivery journal (SQLite on disk, one fsync'd commit before and
# one after each post) beside the same run with the journal in memory
# (`--no-journal`, for benchmarks only), alternating, `ROUNDS` times each.
#
#   scripts/lead-post-throughput.sh                     # 100,000 leads, 1000 per post
#   scripts/lead-post-throughput.sh 20000 50            # 20,000 leads, 50 per post
#   CRMWIRE_BIN=target/debug/crmwire ROUNDS=1 scripts/lead-post-throughput.sh 10000
#
# Builds crmwire in release mode unless CRMWIRE_BIN names a binary. Everything
# (sandbox home, CSV, journals) lives in a temporary directory removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

leads="${1:-100000}"
chunk="${2:-1000}"
rounds="${ROUNDS:-2}"
bin="${CRMWIRE_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked -p crmwire >&2
  bin=target/release/crmwire
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The sandbox child, its URL from its first line.
mkfifo "$work/sandbox.out"
HOME="$work" XDG_CONFIG_HOME="$work" "$bin" sandbox --addr 127.0.0.1:0 > "$work/sandbox.out" 2>/dev/null &
sandbox_pid=$!
exec 3< "$work/sandbox.out"
read -r -t 30 first <&3
url="${first#sandbox listening on }"
cat > "$work/config.toml" <<TOML
[profiles.default]
service = "securitytrax"
base_url = "$url/securitytrax"
site = "demo"
username = "demo"
partner_id = "1001"
password_env = "CRMWIRE_BENCH_UNUSED"
TOML

csv="$work/leads.csv"
awk -v n="$leads" 'BEGIN {
  print "source_id,lead_purchase_price,fname,lname,address1,city,state,zip,phone1,email,lead_company_unique_id,lead_home_ownership";
  for (i = 1; i <= n; i++) {
    printf "77,%d.50,Sue%d,Stallman,%d Market Road,Notus,ID,83660,801312%04d,lead%d@example.com,T%d,rent\n", i % 100, i, i, i % 10000, i, i;
  }
}' > "$csv"

run() { # $1: label, rest: extra flags
  local label="$1"; shift
  rm -f "$csv.crmwire-journal" "$csv.crmwire-journal-wal" "$csv.crmwire-journal-shm"
  local start end
  start=$(date +%s.%N)
  CRMWIRE_CONFIG="$work/config.toml" HOME="$work" XDG_CONFIG_HOME="$work" \
    "$bin" lead post "$csv" --chunk-size "$chunk" --posts-per-second 10000 --json "$@" \
    > "$work/report.json" 2> "$work/stderr.txt" || {
      echo "crmwire failed ($label):" >&2; tail -n 5 "$work/stderr.txt" >&2; exit 1; }
  end=$(date +%s.%N)
  grep -q "\"outcome_unknown\":\[\]" "$work/report.json" || { echo "unknown outcomes ($label)" >&2; exit 1; }
  awk -v l="$label" -v s="$start" -v e="$end" -v n="$leads" \
    'BEGIN { printf "| %s | %.2f s | %.0f leads/s |\n", l, e - s, n / (e - s) }'
}

printf '%s leads, %s per post (%s posts)\n\n' "$leads" "$chunk" "$(( (leads + chunk - 1) / chunk ))"
printf '| run | wall time | throughput |\n|---|---:|---:|\n'
for _ in $(seq "$rounds"); do
  run "journal on (SQLite on disk)"
  run "journal in memory (--no-journal)" --no-journal
done
