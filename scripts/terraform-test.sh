#!/usr/bin/env bash
# Runs `terraform test` on infra/terraform (tests/*.tftest.hcl: a plan with every provider
# mocked, no AWS account or credentials) wherever it can: terraform on PATH and its providers
# installable, from the registry or a mirror the Terraform CLI configuration names. Where it
# cannot, it says why and exits 0 — CI's terraform job (.github/workflows/ci.yml) always runs it.
# A failing `init` for any other reason, or a failing test, exits 1.
#
# It works on a copy of infra/, so `init` leaves no .terraform/ or lock file in the checkout.
#
#   scripts/terraform-test.sh          # TERRAFORM=/path/to/terraform to pick another binary
set -euo pipefail

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
TERRAFORM=${TERRAFORM:-terraform}

if ! command -v "$TERRAFORM" >/dev/null; then
  echo "terraform test: skipped ($TERRAFORM is not on PATH; CI's terraform job runs it)"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/e3d-terraform-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -C "$ROOT" --exclude=.terraform --exclude=.build -cf - infra | tar -C "$work" -xf -
cd "$work/infra/terraform"

"$TERRAFORM" version 2>/dev/null | head -1
if ! init=$("$TERRAFORM" init -backend=false -input=false -no-color 2>&1); then
  # Providers that cannot be had here (no registry; a mirror without them) are a reason to skip;
  # anything else (a configuration error) is a failure.
  unavailable='could not connect to|no such host|dial tcp|i/o timeout|connection refused|TLS handshake timeout|not found in any of the search locations|no available releases match'
  if grep -Eq "$unavailable" <<<"$init"; then
    echo "terraform test: skipped (its providers cannot be installed here: no registry, or a mirror without them)"
    grep -E "$unavailable" <<<"$init" | head -3 | sed 's/^[^A-Za-z]*/  /'
    exit 0
  fi
  printf '%s\n' "$init"
  echo "terraform test: terraform init failed"
  exit 1
fi
"$TERRAFORM" validate -no-color
"$TERRAFORM" test -no-color
