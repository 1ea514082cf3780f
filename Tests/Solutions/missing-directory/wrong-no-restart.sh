# fails: upload-works, upload-survives-cleanup
# Partial fix: the code is corrected, but the running app still has the old code loaded.
set -euo pipefail
app="$FIREDRILL_WORKSPACE/backend/app/app.py"
sed -i '/^    folder = os.path.join(settings.UPLOAD_DIR, /a\
    os.makedirs(folder, exist_ok=True)' "$app"
grep -q '^    os.makedirs(folder, exist_ok=True)$' "$app"
