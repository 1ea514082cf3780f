# fails: upload-works, upload-survives-cleanup
# Partial fix: the code is corrected, but the running app still has the old code loaded.
set -euo pipefail
source "$(dirname "$0")/../app-code.sh"
edit_app "    stored_path = os.path.join(folder, " "    os.makedirs(folder, exist_ok=True)
    stored_path = os.path.join(folder, "
