# Shared by the scripts: the folder the upload code wants for today, as its traceback in the
# backend's error log names it (a trainee reads it there).
firedrill_missing_folder() {
  firedrill shell backend --run "$FIREDRILL_RUN" -- sh -c \
    "grep -oE \"No such file or directory: '[^']+'\" /var/log/billing/error.log | tail -n 1 | cut -d \"'\" -f 2 | xargs dirname"
}
