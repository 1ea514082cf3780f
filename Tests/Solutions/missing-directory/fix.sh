# Reference fix: the upload code makes sure its folder exists before it writes
# (os.makedirs with exist_ok), and the app is restarted to load the change.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
# backend/app is a folder mount: the edited file is what the backend runs after a restart.
edit_app "    stored_path = os.path.join(folder, " "    os.makedirs(folder, exist_ok=True)
    stored_path = os.path.join(folder, "
restart_app /api/health
# An upload, as a person would try one after the restart.
head -c 200000 /dev/urandom > /tmp/firedrill-fix-upload.bin
status=$(curl -s -o /dev/null -w '%{http_code}' -F file=@/tmp/firedrill-fix-upload.bin "$FIREDRILL_URL_API/api/attachments" || true)
rm -f /tmp/firedrill-fix-upload.bin
echo "upload after the fix: $status"
