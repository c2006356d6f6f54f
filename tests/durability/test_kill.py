#!/usr/bin/env python3
"""test_kill.py: stories sent while the server is killed with SIGKILL and restarted.

usage: test_kill.py BINARY [CYCLES] [--db postgres://...]

16 clients send stories (each with a fresh device id) to a collection's link.
The server is killed with SIGKILL every second or so and started again on the
same port. A client whose request got no answer sends it again, with the same
id, until it gets one. Afterwards every id that was answered 201 or 200 must be
in the database exactly once with the content that was sent, nothing else may
be there, and PRAGMA integrity_check must say ok. Bounded: a few seconds per
cycle. Prints "durability: N passed, M failed".

With --db postgres://... (an empty database; tests/durability/run_pg.sh makes
a throw-away cluster) the server keeps its data there and the stories are read
back with psql, which comes with PostgreSQL (psycopg2 need not be installed);
the key file stays in the temporary folder.
"""
import csv
import glob
import http.client
import io
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from freeport import listen_port  # noqa: E402
from checks import check, finish  # noqa: E402

args = sys.argv[1:]
pg_url = None
if "--db" in args:
    i = args.index("--db")
    pg_url = args[i + 1]
    del args[i:i + 2]
binary = args[0]
cycles = int(args[1]) if len(args) > 1 else 4


work = tempfile.mkdtemp(prefix="vp-durability-")
db = pg_url or os.path.join(work, "vp.db")
# A database URL has no folder for its key file: name one.
key_args = ["--key", os.path.join(work, "vp.key")] if pg_url else []


def run(*args):
    keyed = key_args if args[0] == "init" else []  # only init and serve take --key
    return subprocess.run([binary, *args, "--db", db, *keyed], check=True,
                          capture_output=True, text=True).stdout


run("init")
run("script", "add-template", "open-vertelpunt")
run("script", "status", "1", "1", "published")
token = json.loads(run("collection", "add", "--script", "1", "--title", "Duurzaam",
                       "--purpose", "Test"))["token"]
port = listen_port()
server = None


starts = 0


def start():
    """Starts the server on the port and waits for /healthz. Its output goes to
    a log file per start, shown when it does not come up."""
    global server, starts
    starts += 1
    log = open(os.path.join(work, f"serve-{starts}.log"), "w")
    server = subprocess.Popen([binary, "serve", "--db", db, *key_args,
                               "--listen", f"127.0.0.1:{port}",
                               "--story-rate-ip", "0", "--story-rate-collection", "0"],
                              stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 30  # a busy machine: PostgreSQL may be slow to answer
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/healthz")
            c.getresponse().read()
            c.close()
            return
        except OSError:
            time.sleep(0.02)
    code = server.poll()
    if code is None:
        server.kill()
        server.wait()
    with open(os.path.join(work, f"serve-{starts}.log")) as f:
        print(f.read()[-3000:])
    raise SystemExit(f"server did not start (start {starts}, "
                     f"{'exit code ' + str(code) if code is not None else 'no answer in 30 s'})")


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



def psql(sql):
    """Runs sql on the PostgreSQL database; its output as CSV rows."""
    pgbin = [d for d in sorted(glob.glob("/usr/lib/postgresql/*/bin")) if
             os.access(os.path.join(d, "psql"), os.X_OK)]
    exe = os.path.join(pgbin[-1], "psql") if pgbin else "psql"
    out = subprocess.run([exe, "-X", "-q", "-v", "ON_ERROR_STOP=1", db, "-c",
                          f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.reader(io.StringIO(out)))


if pg_url:
    stored = psql("SELECT uuid, answers FROM stories")
    # The tables and indexes are readable to the end (amcheck is not
    # everywhere): every story row and its unique index agree.
    integrity_ok = psql("SELECT count(*) = count(DISTINCT uuid) FROM stories")[0][0] == "t"
else:
    con = sqlite3.connect(db)
    stored = list(con.execute("SELECT uuid, answers FROM stories"))
    integrity_ok = con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
rows = {}
dups = 0
for sid, answers in stored:
    if sid in rows:
        dups += 1
    rows[sid] = answers
check("integrity", integrity_ok)
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
print(f"  {len(acked)} stories acknowledged over {cycles} kills"
      f"{' (PostgreSQL)' if pg_url else ''}")
subprocess.run(["rm", "-rf", work])
finish("durability")
