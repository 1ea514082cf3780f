#!/bin/sh
# Boot of an instance: run the executable hooks in /etc/boot.d (in name order),
# then hand over to the command, which by default is supervisord in the foreground.
# Any other command given to `docker run IMAGE ...` runs instead of supervisord.
set -e
for hook in /etc/boot.d/*; do
    [ -f "$hook" ] && [ -x "$hook" ] || continue
    "$hook"
done
exec "$@"
