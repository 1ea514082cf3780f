# Partial fix: the code is corrected, but the running app still has the old code loaded.
set -euo pipefail
sed -i '/^    folder = os.path.join(settings.UPLOAD_DIR, "attachments"/a\
    os.makedirs(folder, exist_ok=True)' "$FIREDRILL_WORKSPACE/backend/app/app.py"
