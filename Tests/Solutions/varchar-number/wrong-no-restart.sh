# fails: lookup-fast
# Partial fix: the code is corrected in the workspace, but the running gunicorn never
# loads it (no restart), so every lookup still compares with a number.
set -euo pipefail
sed -E -i 's/\((int|float|Decimal)\(sequence_number\),\)\)/(sequence_number,))/' "$FIREDRILL_WORKSPACE/backend/app/app.py"
grep -q '(sequence_number,))' "$FIREDRILL_WORKSPACE/backend/app/app.py"
