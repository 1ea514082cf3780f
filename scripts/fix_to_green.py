#!/usr/bin/env python3
"""Fix-to-green: the real console in tmux (160x45, `firedrill play --run RUN --shell INSTANCE`),
a fresh run of LEVEL per sample. After the console has settled, a look at the broken setting is
typed in the Shell pane, then after a random pause (so the fix lands anywhere between two
timed checks) the level's fix as one command line and Enter; from that Enter the pane is
captured every 20 ms until the Briefing says every objective holds ("4/4 objectives").
Prints one line per sample, "green prompt fixed": seconds from Enter to every objective green, to
the shell's prompt back (what the command itself took), and to the fix taking effect (cors: the
first preflight from the web app's origin accepted, polled from the host every 50 ms; "-" for
the others, whose fix takes effect with the prompt); "timeout" when it never turned green.
Usage: fix_to_green.py LEVEL SAMPLES. Environment: BIN (firedrill), FIREDRILL_HOME, FIREDRILL_ROOT;
FIX_SEED (the pauses' seed), FIX_TIMEOUT (seconds, 45), FIX_DEBUG (the last screen to stderr)."""
import json, os, random, re, subprocess, sys, threading, time

BIN = os.environ["BIN"]
LEVEL, SAMPLES = sys.argv[1], int(sys.argv[2])
TIMEOUT = float(os.environ.get("FIX_TIMEOUT", "45"))
SESSION = f"fdbench-fix-{os.getpid()}"

# Per level: the shell to open, a look at the broken setting, and the reference fix
# (Tests/Solutions/LEVEL/fix.sh) as a trainee types it, in one command line.
FIXES = {
    "payload-too-large": ("proxy", "grep -n client_max_body_size /etc/nginx/conf.d/billing.conf",
                          "sed -i -E 's/client_max_body_size [^;]+;/client_max_body_size 20m;/' /etc/nginx/conf.d/billing.conf"
                          " && nginx -t -q && nginx -s reload"),
    "cors": ("backend", "grep ^ALLOWED_ORIGINS= /etc/billing/billing.env",
             "vi -es -c '%s/^ALLOWED_ORIGINS=.*/ALLOWED_ORIGINS=${FRONTEND_ORIGIN}/' -c wq /etc/billing/billing.env"
             " && supervisorctl restart billing"),
}
INSTANCE, LOOK, FIX = FIXES[LEVEL]


def tmux(*args):
    # A server of its own: another tmux user on the machine neither sees nor stops it.
    return subprocess.run(["tmux", "-L", SESSION, *args], capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p", "-t", SESSION)


def wait_for(predicate, seconds, step=0.02):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = screen()
        if predicate(text):
            return text
        time.sleep(step)
    return None


def all_green(text):
    match = re.search(r"(\d+)/(\d+) objectives", text)
    return bool(match) and match[1] == match[2]


def prompts(text):
    return len(re.findall(rf"root@{INSTANCE}:[^\n]*# ", text))


def watch_fix(urls, since, seen, stop):
    """cors: the first moment the API accepts the web app's preflight, into seen[0]."""
    command = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "1", "-X", "OPTIONS",
               "-H", f"Origin: {urls['app']}", "-H", "Access-Control-Request-Method: POST", f"{urls['api']}/api/users"]
    while not stop.is_set():
        if subprocess.run(command, capture_output=True, text=True).stdout == "204":
            seen[0] = time.monotonic() - since
            return
        time.sleep(0.05)


def sample(rng):
    out = json.loads(subprocess.run([BIN, "start", LEVEL, "--json"], capture_output=True, text=True, check=True).stdout)
    run = out["run"]
    seen, stop = [None], threading.Event()
    try:
        tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "45",
             f"env TERM=tmux-256color LANG=C.UTF-8 {BIN} play --run {run} --shell {INSTANCE}; echo console exited $?; sleep 60")
        if not wait_for(lambda t: prompts(t) >= 1 and "objectives" in t, 30, 0.1):
            sys.stderr.write(f"{LEVEL}: no console with a shell prompt after 30 s:\n{screen()}\n")
            return "failed"
        time.sleep(4)  # the console's first check, the health streams
        tmux("send-keys", "-t", SESSION, "-l", LOOK)
        tmux("send-keys", "-t", SESSION, "Enter")
        time.sleep(rng.uniform(1, 6))
        before = prompts(screen())
        tmux("send-keys", "-t", SESSION, "-l", FIX)
        time.sleep(0.2)
        start = time.monotonic()
        tmux("send-keys", "-t", SESSION, "Enter")
        if LEVEL == "cors":
            threading.Thread(target=watch_fix, args=(out["urls"], start, seen, stop), daemon=True).start()
        prompt = green = None
        # Until green, and the prompt back (which may come after: the app serves before
        # supervisorctl says it started).
        while time.monotonic() - start < TIMEOUT and (green is None or (prompt is None and time.monotonic() - start < green + 5)):
            text = screen()
            now = time.monotonic() - start
            if prompt is None and prompts(text) > before:
                prompt = now
            if green is None and all_green(text):
                green = now
            time.sleep(0.02)
        if os.environ.get("FIX_DEBUG"):
            sys.stderr.write(screen())
        fields = [f"{x:.2f}" if x is not None else "-" for x in (green, prompt, seen[0])]
        return ("timeout " if green is None else "") + " ".join(fields)
    finally:
        stop.set()
        tmux("kill-session", "-t", SESSION)
        subprocess.run([BIN, "stop", "--run", run], capture_output=True)


rng = random.Random(int(os.environ.get("FIX_SEED", "13")))
for _ in range(SAMPLES):
    print(sample(rng), flush=True)
