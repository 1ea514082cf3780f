# Reference fix: the code compares sequence_number (a VARCHAR) with a string again, so
# MariaDB can look the number up in idx_invoices_sequence; then the app is restarted so
# gunicorn loads the corrected code.
set -euo pipefail
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
sed -E -i 's/\((int|float|Decimal)\(sequence_number\),\)\)/(sequence_number,))  # a string, like the column/' "$app"
grep -q '(sequence_number,))  # a string' "$app"
firedrill shell backend --run "$FIREDRILL_RUN" -- supervisorctl restart billing
# gunicorn takes a moment to serve again: try a lookup until it answers.
for _ in $(seq 1 40); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$FIREDRILL_URL_API/api/invoices/by-number/654321") || true
  [ "$status" = 200 ] && break
  sleep 0.25
done
echo "lookup after the fix: $status"
