#!/usr/bin/env python3
"""Key-to-echo latency of the console's Shell pane: runs `firedrill play --run RUN --shell
workspace` on a pseudo-terminal of 160x45, then for each of 30 keys measures the time from
writing the key to the console's terminal until the console has drawn its echo. Prints
"median / p95 / max" in milliseconds. Environment: BIN (the firedrill binary), RUN (a live run)."""
import fcntl, os, pty, select, statistics, struct, sys, termios, time

BIN, RUN = os.environ["BIN"], os.environ["RUN"]
os.environ["TERM"] = "xterm-256color"
os.environ.setdefault("LANG", "C.UTF-8")
pid, fd = pty.fork()
if pid == 0:
    os.execvp(BIN, [BIN, "play", "--run", RUN, "--shell", "workspace"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))


def drain(seconds):
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


drain(6)  # the console starts, the shell prints its prompt
samples = []
for i in range(30):
    key = "qwzxjvy"[i % 7].encode()
    start = time.monotonic()
    os.write(fd, key)
    seen = b""
    while key not in seen:
        ready, _, _ = select.select([fd], [], [], 2)
        if not ready:
            break
        seen += os.read(fd, 65536)
    samples.append((time.monotonic() - start) * 1000)
    drain(0.15)
    os.write(fd, b"\x7f")  # erase it again
    drain(0.15)
os.write(fd, b"\x1d")  # Ctrl-]: the console's keys
drain(0.3)
os.write(fd, b"q")
drain(0.3)
os.write(fd, b"n")  # quit, keep the run (the caller stops it)
drain(2)
try:
    os.waitpid(pid, 0)
except ChildProcessError:
    pass
samples.sort()
p95 = samples[int(len(samples) * 0.95) - 1]
print(f"{statistics.median(samples):.1f} / {p95:.1f} / {samples[-1]:.1f}")
