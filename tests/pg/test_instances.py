#!/usr/bin/env python3
"""test_instances.py: two `vertelpunt serve` instances on different ports against one PostgreSQL database behave as one.

usage: test_instances.py BINARY

Starts a throw-away cluster (scripts/pg-cluster.sh, its own state file) or,
with VP_TEST_DB=postgres://..., uses a new schema of that database. Skipped,
with a message, only when PostgreSQL is not installed. Both instances run
with the clock moved 13 days ahead (VP_TEST_CLOCK_OFFSET), so the reminders
of the demo trajectory's dialogue session are due the moment they start,
and both send e-mail to one SMTP server (tests/mail/smtpd.py). Checks:
- the daily retention purge ran once between them, not once each;
- the reminders were queued once, and every message of the outbox arrived
  exactly once (the outbox claim, model/outbox.c);
- a user logged in on A is logged in on B (same cookie), and a CSRF token
  of the session read on B is accepted on A;
- a story submitted to A appears in B's analysis (API) within one second,
  and one submitted to B in A's;
- a login lockout earned on A holds on B;
- themes computed on A are what "theme = N" means on B (theme_results),
  the same document on both, and when B computes them again over more
  stories A follows; the themes' refresh was claimed once at start.
Prints "instances: N passed, M failed".
"""
import glob
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from freeport import listen_port  # noqa: E402
from checks import check, finish, tally  # noqa: E402

binary = os.path.abspath(sys.argv[1])
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pg_installed():
    if glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return True
    return shutil.which("initdb") is not None


work = tempfile.mkdtemp(prefix="vp-instances-")
procs = []
state = os.path.join(work, "pg-state")
own_cluster = False


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    if own_cluster:
        subprocess.run(["bash", os.path.join(root, "scripts/pg-cluster.sh"), "stop"],
                       env=dict(os.environ, VP_PG_STATE=state), capture_output=True)
    shutil.rmtree(work, ignore_errors=True)


base = os.environ.get("VP_TEST_DB", "")
if not base.startswith(("postgres://", "postgresql://")):
    if not pg_installed():
        print("instances: skipped: PostgreSQL is not installed (Debian: apt-get install postgresql)")
        print("instances: 0 passed, 0 failed")
        sys.exit(0)
    r = subprocess.run(["bash", os.path.join(root, "scripts/pg-cluster.sh"), "start"],
                       env=dict(os.environ, VP_PG_STATE=state), capture_output=True, text=True)
    if r.returncode != 0:
        print("instances: cannot start PostgreSQL:", r.stderr.strip())
        sys.exit(1)
    own_cluster = True
    base = r.stdout.strip()
schema = "vpi_" + uuid.uuid4().hex[:12]
subprocess.run(["psql", "-qX", base, "-c", f"CREATE SCHEMA {schema}"], check=True,
               capture_output=True)
url = base + ("&" if "?" in base else "?") + "options=-csearch_path%3D" + schema
key = os.path.join(work, "k.key")


def sql(query):
    """One value from the test's schema (psql)."""
    r = subprocess.run(["psql", "-qXtA", base, "-c", f"SET search_path = {schema}; {query}"],
                       capture_output=True, text=True)
    return r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""


def run(*args, vault=False):
    cmd = [binary, *args, "--db", url] + (["--key", key] if vault else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        cleanup()
        raise SystemExit(f"instances: {' '.join(args)}: {r.stderr.strip()}")
    return json.loads(r.stdout) if r.stdout.strip().startswith("{") else r.stdout


try:
    admin_pw = run("init", vault=True)["admin"]["one_time_password"]
    jansen_pw = run("user", "add", "jansen", "--name", "Jan Jansen", "--role",
                    "gespreksvoerder")["one_time_password"]
    run("script", "add-template", "open-vertelpunt")
    run("script", "status", "1", "1", "published")
    coll = run("collection", "add", "--script", "1", "--title", "Samen", "--purpose", "Test")
    token = coll["token"]
    run("trajectory", "add", "--title", "Dorpsplein")
    run("trajectory", "assign", "1", "beheerder", "--responsible")
    # A dialogue session two weeks ahead with 20 people registered: two
    # days before it, each gets a reminder.
    run("trajectory", "demo", "1", "beheerder", vault=True)

    # ---- the SMTP server and the two instances ----------------------------
    inbox = os.path.join(work, "inbox")
    port_file = os.path.join(work, "smtp.port")
    smtpd = subprocess.Popen(["/usr/bin/python3", os.path.join(root, "tests/mail/smtpd.py"),
                              "--dir", inbox, "--control", os.path.join(work, "mode"),
                              "--port-file", port_file],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    procs.append(smtpd)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            break
        time.sleep(0.05)
    smtp_port = open(port_file).read().strip()

    env = dict(os.environ, VP_TEST_CLOCK_OFFSET=str(13 * 86400))
    ports, logs = [], []
    for name in ("a", "b"):
        port = listen_port(taken=ports)
        log = os.path.join(work, f"{name}.log")
        p = subprocess.Popen([binary, "serve", "--db", url, "--key", key, "--listen",
                              f"127.0.0.1:{port}", "--smtp-url", f"smtp://127.0.0.1:{smtp_port}",
                              "--mail-from", "gemeente@voorbeeld.example",
                              "--story-rate-ip", "0", "--analysis-min-group", "1"],
                             stdout=subprocess.DEVNULL, stderr=open(log, "w"), env=env)
        procs.append(p)
        ports.append(port)
        logs.append(log)
    A, B = ports

    def request(port, method, path, body=None, headers=None):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request(method, path, body, headers or {})
        r = c.getresponse()
        data = r.read()
        c.close()
        return r.status, r.getheaders(), data

    for port in ports:
        for _ in range(300):
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            raise SystemExit(f"instances: the server on {port} did not start")
    check("both-serve", all(p.poll() is None for p in procs))

    # ---- scheduled work: once between them --------------------------------
    def log_lines(event):
        n = 0
        for log in logs:
            for line in open(log):
                try:
                    if json.loads(line).get("event") == event:
                        n += 1
                except ValueError:
                    pass
        return n

    # Both ran their start-up maintenance (reminders come right after it).
    for _ in range(200):
        if sql("SELECT count(*) FROM outbox WHERE purpose = 'reminder'") not in ("", "0"):
            break
        time.sleep(0.05)
    time.sleep(1.0)
    check("purge-once", log_lines("purge") == 1, f"purge logged {log_lines('purge')} times")
    check("purge-recorded-once", sql("SELECT runs FROM scheduled_runs WHERE name = 'purge'") == "1",
          sql("SELECT runs FROM scheduled_runs WHERE name = 'purge'"))
    reminders = int(sql("SELECT count(*) FROM outbox WHERE purpose = 'reminder'") or 0)
    check("reminders-queued", reminders == 20, f"{reminders} reminders")
    queued_logged = 0
    for log in logs:
        for line in open(log):
            m = re.search(r'"queued (\d+) reminders"', line)
            if m:
                queued_logged += int(m.group(1))
    check("reminders-queued-once", queued_logged == reminders,
          f"the instances say they queued {queued_logged}, the outbox has {reminders}")

    # ---- the same session on both -----------------------------------------
    def cookies_of(headers):
        out = {}
        for k, v in headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                out[name] = rest.split(";")[0]
        return out

    def login(port, user, password):
        st, h, _ = request(port, "GET", "/login")
        csrf = cookies_of(h).get("__Host-vp_csrf", "")
        body = urllib.parse.urlencode({"csrf_token": csrf, "username": user,
                                       "password": password})
        st, h, data = request(port, "POST", "/login", body,
                              {"Content-Type": "application/x-www-form-urlencoded",
                               "Cookie": f"__Host-vp_csrf={csrf}"})
        return st, cookies_of(h).get("__Host-vp_session")

    st, sid = login(A, "beheerder", admin_pw)
    check("login-on-a", st == 303 and sid, f"{st}")
    jar = {"Cookie": f"__Host-vp_session={sid}"}
    st, _, data = request(B, "GET", "/api/v1/me", headers=jar)
    me = json.loads(data) if st == 200 else {}
    check("logged-in-on-b", st == 200 and me.get("username") == "beheerder", f"{st} {data[:200]}")
    # The session's CSRF token, read on B, changes the password on A.
    new_pw = "Dorpsplein-" + uuid.uuid4().hex
    body = urllib.parse.urlencode({"csrf_token": me.get("csrf_token", ""), "current": admin_pw,
                                   "new": new_pw, "repeat": new_pw})
    st, _, data = request(A, "POST", "/account/password", body,
                          dict(jar, **{"Content-Type": "application/x-www-form-urlencoded"}))
    check("csrf-of-b-on-a", st in (200, 303), f"{st} {data[:300]}")
    st, sid2 = login(B, "beheerder", new_pw)
    check("login-on-b-new-password", st == 303 and sid2, f"{st}")
    jar = {"Cookie": f"__Host-vp_session={sid2}"}

    # ---- a story on A in B's analysis within a second, and back -----------
    def count(port):
        st, _, data = request(port, "GET", f"/api/v1/collections/{coll['id']}/analysis/count",
                              headers=jar)
        return json.loads(data).get("n") if st == 200 else f"status {st}"

    def submit(port, i):
        body = json.dumps({"id": str(uuid.uuid4()), "channel": "web", "script_version": 1,
                           "answers": {"q-verhaal": {"prompt": "p-buurt",
                                                     "text": f"Verhaal {i} over het plein"}}})
        return request(port, "POST", f"/api/v1/collections/{token}/stories", body,
                       {"Content-Type": "application/json"})[0]

    check("count-starts-at-0", count(A) == 0 and count(B) == 0, f"{count(A)} {count(B)}")
    n = 0
    for i, (to, seen_on) in enumerate([(A, B), (B, A), (A, B), (A, B), (B, A)]):
        st = submit(to, i)
        n += 1
        t0 = time.monotonic()
        while count(seen_on) != n and time.monotonic() - t0 < 5:
            time.sleep(0.02)
        took = time.monotonic() - t0
        check(f"story-{i}-stored", st == 201, f"{st}")
        check(f"story-{i}-seen-within-1s", count(seen_on) == n and took <= 1.0,
              f"count {count(seen_on)} of {n} after {took:.2f} s")

    # ---- the themes: computed on one instance, the same on the other -------
    runs = sql("SELECT runs FROM scheduled_runs WHERE name = 'themes'")
    check("themes-refresh-claimed-once", runs == "1", f"claimed {runs} times")
    topics = [["De regiotaxi kwam te laat.", "De chauffeur van de taxi wist de weg niet.",
               "Met de regiotaxi naar het ziekenhuis duurt lang.",
               "De taxi moet ik een dag eerder bellen."],
              ["Ik sta maanden op de wachtlijst.", "De indicatie kwam na vier maanden.",
               "De wachtlijst voor een indicatie is lang.",
               "Na maanden wachten kwam de indicatie."],
              ["De schoonmaakster komt maar twee uur.", "Stofzuigen lukt mij niet meer.",
               "Het stof blijft liggen, de schoonmaakster is ziek.",
               "Stofzuigen doet de schoonmaakster niet goed."]]

    def submit_text(port, text):
        body = json.dumps({"id": str(uuid.uuid4()), "channel": "web", "script_version": 1,
                           "answers": {"q-verhaal": {"prompt": "p-buurt", "text": text}}})
        return request(port, "POST", f"/api/v1/collections/{token}/stories", body,
                       {"Content-Type": "application/json"})[0]

    def add_topic_stories(count_from, how_many, topic_of):
        for i in range(how_many):
            t = topic_of(i)
            text = f"{topics[t][i % 4]} {topics[t][(i // 4 + i % 4 + 1) % 4]}"
            check("topic-story-stored", submit_text(A if i % 2 else B, text) == 201)
        want = count_from + how_many
        t0 = time.monotonic()
        while (count(A), count(B)) != (want, want) and time.monotonic() - t0 < 10:
            time.sleep(0.05)
        return want

    def themes(port):
        st, _, data = request(port, "GET", f"/api/v1/collections/{coll['id']}/themes",
                              headers=jar)
        return json.loads(data) if st == 200 else {"status": st, "body": data[:300]}

    def in_theme(port, k):
        f = urllib.parse.quote(f"theme = {k}")
        st, _, data = request(port, "GET",
                              f"/api/v1/collections/{coll['id']}/analysis/count?filter={f}",
                              headers=jar)
        return json.loads(data).get("n") if st == 200 else f"status {st}"

    def sizes(doc):
        return [th.get("stories") for th in doc.get("themes", [])]

    n = add_topic_stories(n, 60, lambda i: i % 3)
    ta = themes(A)  # computed on A, and stored
    check("themes-on-a", ta.get("k", 0) >= 2, f"{ta}")
    on_b = [in_theme(B, k) for k in range(1, ta.get("k", 0) + 1)]
    check("theme-n-on-b-means-as-on-a", on_b == sizes(ta), f"B {on_b}, A {sizes(ta)}")
    tb = themes(B)
    check("same-themes-on-b", tb == ta, "the documents differ")
    # More stories; B computes the themes again (newer): A follows them.
    n = add_topic_stories(n, 24, lambda i: 2)
    tb2 = themes(B)
    check("themes-again-on-b", tb2.get("stories") == n, f"{tb2.get('stories')} of {n}")
    on_a = [in_theme(A, k) for k in range(1, tb2.get("k", 0) + 1)]
    check("theme-n-on-a-follows-b", on_a == sizes(tb2), f"A {on_a}, B {sizes(tb2)}")
    stored = sql("SELECT stories FROM theme_results")
    check("themes-stored-once", stored == str(n), f"{stored}")

    # ---- the outbox: every message exactly once ---------------------------
    total = int(sql("SELECT count(*) FROM outbox") or 0)
    for _ in range(600):
        if sql("SELECT count(*) FROM outbox WHERE status = 'sent'") == str(total):
            break
        time.sleep(0.05)
    sent = int(sql("SELECT count(*) FROM outbox WHERE status = 'sent'") or 0)
    check("outbox-all-sent", sent == total and total >= 20, f"{sent} of {total}")
    time.sleep(0.5)
    ids = []
    for f in glob.glob(os.path.join(inbox, "*.eml")):
        m = re.search(rb"^Message-ID:\s*(\S+)", open(f, "rb").read(), re.M | re.I)
        ids.append(m.group(1) if m else f)
    check("each-message-arrived-once", len(ids) == total and len(set(ids)) == len(ids),
          f"{len(ids)} arrived ({len(set(ids))} different) for {total} in the outbox")
    check("attempts-once", sql("SELECT max(attempts) FROM outbox") == "1",
          sql("SELECT max(attempts) FROM outbox"))

    # ---- a login lockout on A holds on B ----------------------------------
    st_ok, _ = login(A, "jansen", jansen_pw)  # the right password works at first
    check("jansen-login-on-a", st_ok == 303, f"{st_ok}")
    statuses = [login(A, "jansen", "verkeerd")[0] for _ in range(10)]
    check("wrong-passwords-refused-on-a", all(s == 401 for s in statuses), f"{statuses}")
    st, sid3 = login(B, "jansen", jansen_pw)
    check("locked-out-on-b", st == 429 and not sid3, f"{st}")

    # ---- both stop cleanly -------------------------------------------------
    for p in procs[1:]:
        p.send_signal(signal.SIGTERM)
    for p in procs[1:]:
        check("clean-stop", p.wait(timeout=30) == 0)
finally:
    if tally.failed:
        for log in glob.glob(os.path.join(work, "*.log")):
            print(f"--- {os.path.basename(log)} (last lines)")
            print("".join(open(log).readlines()[-15:]))
    cleanup()

finish("instances")
