#!/usr/bin/env bash
# grafana/check.sh: the promtool checks of the alert rules and the example Prometheus config, run by
# `bin/packline test` after the Maven tests. Fails (non-zero) when a rule does not parse, a unit
# test in alerts/packline.rules.test.yml fails, or prometheus.yml is invalid. Installs promtool
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
