#!/usr/bin/env bash
# Peak memory of `crmwire lead post --dry-run` over generated CSV files of
# growing size: the reader streams, so the peak must stay flat (and under
# 64 MB) whatever the number of leads.
#
#   scripts/lead-post-memory.sh                 # 100,000 and 1,000,000 leads
#   scripts/lead-post-memory.sh 1000 10000      # other sizes
#   CRMWIRE_BIN=target/debug/crmwire scripts/lead-post-memory.sh   # another build
#
# Needs GNU time (/usr/bin/time) and awk. Builds crmwire in release mode unless
# CRMWIRE_BIN names a binary. The CSV files go to a temporary directory that is
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then
  sizes=(100000 1000000)
fi
if [ ! -x /usr/bin/time ]; then
  echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi
bin="${CRMWIRE_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release --locked -p crmwire >&2
  bin=target/release/crmwire
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

printf '| leads | CSV size | peak RSS | wall time |\n|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  csv="$work/leads-$n.csv"
  awk -v n="$n" 'BEGIN {
    print "source_id,campaign_id,lead_type_id,lead_purchase_price,fname,lname,address1,address2,city,state,zip,phone1,phone2,email,lead_comments,contact_time,lead_company_unique_id,lead_home_ownership";
    for (i = 1; i <= n; i++) {
      printf "77,,2,%d.5,Sue%d,Stallman,%d Market Road,,Notus,id,83660,(801) 312-%04d,801.367.8735,lead%d@example.com,Looking for quotes,Noon,L%d,rent\n", i % 100, i, i, i % 10000, i, i;
    }
  }' > "$csv"
  size=$(du -h "$csv" | cut -f1)
  /usr/bin/time -v "$bin" lead post "$csv" --dry-run --chunk-size 100 > /dev/null 2> "$work/time-$n.txt" || {
    echo "crmwire failed on $n leads:" >&2
    tail -n 30 "$work/time-$n.txt" >&2
    exit 1
  }
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$n.txt")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time-$n.txt")
  awk -v n="$n" -v size="$size" -v kb="$rss_kb" -v wall="$wall" \
    'BEGIN { printf "| %d | %s | %.1f MB | %s |\n", n, size, kb / 1024, wall }'
done
