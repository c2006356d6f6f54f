#!/usr/bin/env python3
"""test_kill.py: stories sent while the server is killed with SIGKILL and restarted.

usage: test_kill.py BINARY [CYCLES]

16 clients send stories (each with a fresh device id) to a collection's link.
The server is killed with SIGKILL every second or so and started again on the
same port. A client whose request got no answer sends it again, with the same
id, until it gets one. Afterwards every id that was answered 201 or 200 must be
in the database exactly once with the content that was sent, nothing else may
be there, and PRAGMA integrity_check must say ok. Bounded: a few seconds per
cycle. Prints "durability: N passed, M failed".
"""
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

binary = sys.argv[1]
cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 4
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


work = tempfile.mkdtemp(prefix="vp-durability-")
db = os.path.join(work, "vp.db")


def run(*args):
    return subprocess.run([binary, *args, "--db", db], check=True, capture_output=True,
                          text=True).stdout


run("init")
run("script", "add-template", "open-vertelpunt")
run("script", "status", "1", "1", "published")
token = json.loads(run("collection", "add", "--script", "1", "--title", "Duurzaam",
                       "--purpose", "Test"))["token"]
port = random.randint(20000, 60000)
server = None


def start():
    global server
    server = subprocess.Popen([binary, "serve", "--db", db, "--listen", f"127.0.0.1:{port}",
                               "--story-rate-ip", "0", "--story-rate-collection", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/healthz")
            c.getresponse().read()
            c.close()
            return
        except OSError:
            time.sleep(0.02)
    raise SystemExit("server did not start")


acked = {}       # id -> body text, answered 201/200
lock = threading.Lock()
stop = threading.Event()
conflicts = []


def body_for(i, sid):
    return json.dumps({"id": sid, "channel": "web", "script_version": 1, "answers": {
        "q-verhaal": {"prompt": "p-buurt", "text": f"Verhaal {sid} nummer {i}"},
        "q-nodig-dyade": i % 101}}, separators=(",", ":"))


def client(n):
    i = 0
    while not stop.is_set():
        i += 1
        sid = str(uuid.uuid4())
        body = body_for(i, sid)
        while True:  # until this id has an answer
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("POST", f"/api/v1/collections/{token}/stories", body,
                          {"Content-Type": "application/json"})
                r = c.getresponse()
                r.read()
                c.close()
                if r.status in (200, 201):
                    with lock:
                        acked[sid] = body
                    break
                if r.status == 409:
                    conflicts.append(sid)
                    break
                time.sleep(0.05)  # 503 while stopping: try again
            except (OSError, http.client.HTTPException):
                time.sleep(0.05)  # no answer: the server is down; same id again
        if stop.is_set() and random.random() < 0.5:
            return


start()
threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
for t in threads:
    t.start()
for cycle in range(cycles):
    time.sleep(0.6 + random.random())
    server.send_signal(signal.SIGKILL)
    server.wait()
    time.sleep(0.1)
    start()
time.sleep(0.5)
stop.set()
for t in threads:
    t.join(timeout=60)
check("clients finished", all(not t.is_alive() for t in threads))
server.terminate()
server.wait()

con = sqlite3.connect(db)
rows = {}
dups = 0
for sid, answers in con.execute("SELECT uuid, answers FROM stories"):
    if sid in rows:
        dups += 1
    rows[sid] = answers
check("integrity", con.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
check("no duplicates", dups == 0, f"{dups}")
check("no conflicts", not conflicts, f"{conflicts[:3]}")
missing = [s for s in acked if s not in rows]
check("every acknowledged story stored", not missing, f"{len(missing)} of {len(acked)}")
extra = [s for s in rows if s not in acked]
check("nothing unacknowledged left over", not extra, f"{len(extra)}")
wrong = [s for s in acked if s in rows and
         json.loads(rows[s]) != json.loads(acked[s])["answers"]]
check("content as sent", not wrong, f"{len(wrong)}")
check("a real load", len(acked) > 200, f"{len(acked)} stories")
print(f"  {len(acked)} stories acknowledged over {cycles} kills")
subprocess.run(["rm", "-rf", work])
print(f"durability: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
