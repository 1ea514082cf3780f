# Reference fix: the code compares sequence_number (a VARCHAR) with a string again, so
# MariaDB can look the number up in idx_invoices_sequence; then the app is restarted so
# gunicorn loads the corrected code.
set -euo pipefail
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
sed -E -i 's/\((int|float|Decimal)\(sequence_number\),\)\)/(sequence_number,))  # a string, like the column/' "$app"
grep -q '(sequence_number,))  # a string' "$app"
# gunicorn takes a moment to serve again: restart_app tries a lookup until it answers.
source "$(dirname "$0")/../app-code.sh"
restart_app /api/invoices/by-number/654321
