#!/usr/bin/env python3
"""test_outage.py: two instances on one PostgreSQL database while PostgreSQL crashes and comes back.

usage: test_outage.py BINARY [DOWN_SECONDS]

Starts a throw-away cluster (scripts/pg-cluster.sh, its own VP_PG_STATE) and
two `vertelpunt serve` instances, A and B, on it. 8 clients send stories
(each with a fresh id) to A and B in turn; a client whose request got no
answer, or 503, sends it again with the same id until it gets 201 or 200.
Then PostgreSQL is crashed (pg_ctl stop -m immediate) for DOWN_SECONDS and
started again. Checks:

- while it is down, submissions are answered 503 (or not at all), never
  201/200 and never 500; no answer is ever 500;
- the instances recover by themselves: stories are acknowledged by both
  after the restart, and neither process has exited;
- a story sent to A reaches B's analysis (its in-memory index) within one
  second, before the crash and after the restart;
- every story answered 201/200 is in the database exactly once, with the
  content that was sent.

Skipped with a message (and counted as nothing) when PostgreSQL is not
installed. Prints "outage: N passed, M failed".
"""
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from freeport import listen_port  # noqa: E402
from checks import check, finish, tally  # noqa: E402

binary = os.path.abspath(sys.argv[1])
down_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
cluster = os.path.join(root, "scripts", "pg-cluster.sh")


if not any(os.path.exists(os.path.join(d, "initdb"))
           for d in [f"/usr/lib/postgresql/{v}/bin" for v in
                     (os.listdir("/usr/lib/postgresql") if os.path.isdir("/usr/lib/postgresql")
                      else [])]) and not shutil.which("initdb"):
    print("outage: skipped: PostgreSQL is not installed (Debian: apt-get install postgresql)")
    print("outage: 0 passed, 0 failed")
    sys.exit(0)

work = tempfile.mkdtemp(prefix="vp-outage-")
env = dict(os.environ, VP_PG_STATE=os.path.join(work, "pg-cluster.dir"))


def pg(cmd):
    return subprocess.run(["bash", cluster, cmd], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


url = pg("start")
key = os.path.join(work, "vp.key")
servers = {}


def cleanup():
    for p in servers.values():
        if p.poll() is None:
            p.kill()
            p.wait()
    subprocess.run(["bash", cluster, "stop"], env=env, capture_output=True)
    shutil.rmtree(work, ignore_errors=True)


def cli(*args):
    return subprocess.run([binary, *args, "--db", url], check=True, capture_output=True,
                          text=True, cwd=work).stdout


try:
    subprocess.run([binary, "init", "--db", url, "--key", key], check=True,
                   capture_output=True, cwd=work)
    cli("script", "add-template", "open-vertelpunt")
    cli("script", "status", "1", "1", "published")
    coll = json.loads(cli("collection", "add", "--script", "1", "--title", "Storing",
                          "--purpose", "Test"))
    token, coll_id = coll["token"], coll["id"]
    one_time = json.loads(cli("user", "add", "tester", "--name", "Tester", "--role",
                              "beheerder"))["one_time_password"]
except subprocess.CalledProcessError as e:
    print(f"FAIL setup: {e.stderr}")
    cleanup()
    print("outage: 0 passed, 1 failed")
    sys.exit(1)


ports = {"A": listen_port()}
ports["B"] = listen_port(taken=(ports["A"],))
for name, port in ports.items():
    servers[name] = subprocess.Popen(
        [binary, "serve", "--db", url, "--key", key, "--listen", f"127.0.0.1:{port}",
         "--story-rate-ip", "0", "--story-rate-collection", "0", "--threads", "4"],
        stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, f"{name}.log"), "w"),
        cwd=work)


def request(name, method, path, body=None, headers=None, timeout=5):
    c = http.client.HTTPConnection("127.0.0.1", ports[name], timeout=timeout)
    try:
        c.request(method, path, body, headers or {})
        r = c.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        c.close()


for name in ports:
    for _ in range(300):
        try:
            if request(name, "GET", "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.05)
    else:
        cleanup()
        raise SystemExit(f"instance {name} did not start")

# ---- logged in on B, as a person would ----------------------------------------
cookies = {}


def browse(method, path, form=None):
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    status, hdrs, data = request("B", method, path, body, headers)
    for k, v in hdrs:
        if k.lower() == "set-cookie":
            n, _, rest = v.partition("=")
            cookies[n] = rest.split(";")[0]
    return status, data.decode("utf-8", "replace")


def csrf(page):
    m = re.search(r'name="csrf_token" value="([^"]*)"', page)
    return m.group(1) if m else ""


_, page = browse("GET", "/login")
browse("POST", "/login", {"csrf_token": csrf(page), "username": "tester", "password": one_time})
_, page = browse("GET", "/account/password")
password = f"outage test password {random.random()}"
browse("POST", "/account/password", {"csrf_token": csrf(page), "current": one_time,
                                     "new": password, "repeat": password})
status, _ = browse("GET", "/api/v1/me")
check("logged in on B", status == 200, f"{status}")


def b_count():
    status, data = browse("GET", f"/api/v1/collections/{coll_id}/analysis")
    if status != 200:
        return -1
    o = json.loads(data)
    return o["stories"] + o["pilot_stories"]


def body_for(i, sid):
    return json.dumps({"id": sid, "channel": "web", "script_version": 1, "answers": {
        "q-verhaal": {"prompt": "p-buurt", "text": f"Verhaal {sid} nummer {i}"},
        "q-nodig-dyade": i % 101}}, separators=(",", ":"))


def submit(name, body):
    return request(name, "POST", f"/api/v1/collections/{token}/stories", body,
                   {"Content-Type": "application/json"})[0]


acked = {}  # id -> body, answered 201/200
answers = []  # (time, instance, status or None)
lock = threading.Lock()
stop = threading.Event()


def seen_by_b_within(seconds):
    """A story sent to A (until it is acknowledged) reaches B's analysis in time."""
    before = b_count()
    sid = str(uuid.uuid4())
    body = body_for(0, sid)
    for _ in range(100):
        try:
            if submit("A", body) in (200, 201):
                break
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.1)
    else:
        return False, "A did not take the story"
    with lock:
        acked[sid] = body
    t0 = time.monotonic()
    while time.monotonic() - t0 < 5:
        n = b_count()
        if n > before >= 0:
            took = time.monotonic() - t0
            return took <= seconds, f"{took:.2f} s"
        time.sleep(0.02)
    return False, "not within 5 s"


b_count()  # B's part of the index is built and hot
ok, detail = seen_by_b_within(1.0)
check("a story sent to A is in B's analysis within a second", ok, detail)


def client(n):
    i = 0
    while not stop.is_set():
        i += 1
        sid = str(uuid.uuid4())
        body = body_for(i, sid)
        while True:  # until this id has an answer
            name = "AB"[(n + i) % 2]
            try:
                status = submit(name, body)
            except (OSError, http.client.HTTPException):
                status = None
            with lock:
                answers.append((time.monotonic(), name, status))
            if status in (200, 201):
                with lock:
                    acked[sid] = body
                break
            time.sleep(0.05)  # 503 or no answer: the same id again


threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
for t in threads:
    t.start()
time.sleep(1.5)
t_down = time.monotonic()
pg("kill")
time.sleep(down_seconds)
t_restart = time.monotonic()
pg("restart")
t_up = time.monotonic()
time.sleep(3)
stop.set()
for t in threads:
    t.join(timeout=60)
check("clients finished", all(not t.is_alive() for t in threads))

ok, detail = seen_by_b_within(1.0)
check("after the restart a story sent to A is in B's analysis within a second", ok, detail)

for name, p in servers.items():
    check(f"instance {name} still running", p.poll() is None, f"exit {p.returncode}")
with lock:
    got = list(answers)
# the crash is under way from t_down; a commit acknowledged just before it
# may be answered a moment later
down = [a for a in got if t_down + 0.5 < a[0] < t_restart]
check("answers while it was down", len(down) > 0, "none")
check("no story acknowledged while it was down",
      not [a for a in down if a[2] in (200, 201)],
      f"{[a for a in down if a[2] in (200, 201)][:3]}")
check("503 while it was down", any(a[2] == 503 for a in down),
      f"{sorted(set(a[2] for a in down), key=str)}")
check("never 500", not [a for a in got if a[2] is not None and a[2] >= 500 and a[2] != 503],
      f"{sorted(set(a[2] for a in got), key=str)}")
for name in "AB":
    after = [a for a in got if a[0] > t_up and a[1] == name and a[2] in (200, 201)]
    check(f"instance {name} takes stories again after the restart", len(after) > 0)
before = [a for a in got if a[0] < t_down and a[2] in (200, 201)]
check("a real load before the crash", len(before) > 20, f"{len(before)}")

for p in servers.values():
    p.send_signal(signal.SIGTERM)
for p in servers.values():
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()

psql = subprocess.run(["psql", url, "-At", "-F", "\t", "-c",
                       "SELECT uuid, answers FROM stories"],
                      capture_output=True, text=True)
check("stories read back", psql.returncode == 0, psql.stderr)
rows, dups = {}, 0
for line in psql.stdout.splitlines():
    sid, answers_json = line.split("\t", 1)
    if sid in rows:
        dups += 1
    rows[sid] = answers_json
check("no duplicates", dups == 0, f"{dups}")
missing = [s for s in acked if s not in rows]
check("every acknowledged story stored", not missing, f"{len(missing)} of {len(acked)}")
wrong = [s for s in acked if s in rows and
         json.loads(rows[s]) != json.loads(acked[s])["answers"]]
check("content as sent", not wrong, f"{len(wrong)}")
print(f"  {len(acked)} stories acknowledged, {len(down)} answers while PostgreSQL was down "
      f"({down_seconds:.0f} s)")
if tally.failed:
    for name in servers:
        print(f"--- {name}.log (last lines)")
        with open(os.path.join(work, f"{name}.log")) as f:
            print("".join(f.readlines()[-15:]))
cleanup()
finish("outage")
