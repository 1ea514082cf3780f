# Partial fix: the setting is corrected in the file, but the running app read its settings
# when it started and still trusts the staging origin only.
set -euo pipefail
firedrill shell backend --run "$FIREDRILL_RUN" -- \
  vi -es -c '%s/^ALLOWED_ORIGINS=.*/ALLOWED_ORIGINS=${FRONTEND_ORIGIN}/' -c wq /etc/billing/billing.env
