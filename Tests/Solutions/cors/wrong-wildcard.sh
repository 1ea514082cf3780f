# fails: other-origins-refused
# Wrong fix: trust every origin. The web app works again, but so would any page on the
# internet that a logged-in user happens to open: it could read the API's answers.
set -euo pipefail
source "$(dirname "$0")/preflight.sh"
on backend vi -es -c '%s/^ALLOWED_ORIGINS=.*/ALLOWED_ORIGINS=*/' -c wq /etc/billing/billing.env
on backend grep -qx 'ALLOWED_ORIGINS=\*' /etc/billing/billing.env
on backend supervisorctl restart billing
# The restarted app takes a moment: wait until it lets another origin in.
foreign_preflight_allowed
