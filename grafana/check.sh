#!/usr/bin/env bash
# grafana/check.sh: the promtool checks of the alert rules and the example Prometheus config, run by
# `bin/packline test` after the Maven tests. Fails (non-zero) when a rule does not parse, a unit
# test in alerts/packline.rules.test.yml fails, prometheus.yml is invalid, or a dashboard expression
# does not parse (the e2e tests export them to e2e/target/dashboard-queries.rules.yml). Installs promtool
# from Debian's prometheus package when it is missing (install-promtool.sh).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v promtool >/dev/null 2>&1; then
  "$DIR/install-promtool.sh"
fi
echo "grafana/check.sh: $(promtool --version 2>&1 | head -n1)"
promtool check rules "$DIR/alerts/packline.rules.yml"
promtool check config "$DIR/prometheus.yml"   # also finds and checks the rule files it names
(cd "$DIR/alerts" && promtool test rules packline.rules.test.yml)

# Every dashboard expression through Prometheus's own parser: the e2e tests write them as recording rules.
QUERIES="$DIR/../e2e/target/dashboard-queries.rules.yml"
if [[ ! -f "$QUERIES" ]] || [[ -n "$(find "$DIR/dashboards" -name '*.json' -newer "$QUERIES" | head -n1)" ]]; then
  echo "grafana/check.sh: $QUERIES is missing or older than the dashboards; the e2e tests write it (bin/packline test runs them first, or: mvn verify -pl e2e -am)" >&2
  exit 1
fi
promtool check rules "$QUERIES"
