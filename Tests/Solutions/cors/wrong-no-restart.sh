# fails: preflight-allowed, request-allowed
# Partial fix: the setting is corrected in the file, but the running app read its settings
# when it started and still trusts the origin the rollout rendered.
set -euo pipefail
shell() { firedrill shell backend --run "$FIREDRILL_RUN" -- "$@"; }
shell vi -es -c '%s/^ALLOWED_ORIGINS=.*/ALLOWED_ORIGINS=${FRONTEND_ORIGIN}/' -c wq /etc/billing/billing.env
shell grep -qx 'ALLOWED_ORIGINS=${FRONTEND_ORIGIN}' /etc/billing/billing.env
