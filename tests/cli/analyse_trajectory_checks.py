#!/usr/bin/env python3
"""analyse_trajectory_checks.py: trajectory-wide analysis (`analyse --trajectory`) against per-collection analysis.

usage: analyse_trajectory_checks.py BINARY DIR

- a trajectory with one collection gives the collection's documents;
- with two collections (the demo twice in one database) the counts add up,
  "collection = ID" gives exactly that collection's figures, and a
  question one collection lacks counts as missing there;
- the results do not depend on the order the stories were stored in;
- bad input (unknown collection in a filter, unknown trajectory) fails
  with a clear message.
Prints "analyse trajectory: N passed, M failed" and exits 1 on a failure.
"""
import json
import os
import sqlite3
import subprocess
import sys

binary, work = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}: {str(detail)[:400]}")


def run(*args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fails(*args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    return out.returncode, out.stderr.strip()


def strip(doc, *keys):
    """The document without the keys that name its scope."""
    return {k: v for k, v in doc.items() if k not in keys}


def trajectory(db, title, collections):
    t = run("trajectory", "--db", db, "add", "--title", title)["id"]
    con = sqlite3.connect(db)
    con.executemany("UPDATE collections SET trajectory_id = ? WHERE id = ?",
                    [(t, c) for c in collections])
    con.commit()
    con.close()
    return str(t)


MEASURES = (["count"], ["distribution", "q-geholpen"], ["distribution", "q-situatie"],
            ["crosstab", "q-situatie", "q-interventie"], ["triad", "q-steun"],
            ["triad", "q-steun", "--filter", "q-situatie = eenzaamheid"],
            ["compare", "--a", "period = 2024", "--b", "period = 2025"],
            ["over-time", "q-geholpen"], ["perspectives", "q-geholpen"],
            ["patterns", "--outcome", "q-geholpen", "--limit", "5"])

# ---- one collection: the trajectory is the collection ----------------------
db = os.path.join(work, "traj1.db")
run("demo", "--db", db, "--stories", "1200", "--seed", "5")
t1 = trajectory(db, "Wmo alleen", [1])
for args in MEASURES:
    c = run("analyse", "--db", db, "--collection", "1", *args)
    t = run("analyse", "--db", db, "--trajectory", t1, *args)
    check(f"one collection: same {' '.join(args)}",
          strip(c, "collection") == strip(t, "trajectory", "by_collection"),
          json.dumps(c)[:200] + " / " + json.dumps(t)[:200])

# ---- two collections: the demo twice in one database -----------------------
db = os.path.join(work, "traj2.db")
run("demo", "--db", db, "--stories", "1500", "--seed", "3")
run("demo", "--db", db, "--stories", "1000", "--seed", "4")
t2 = trajectory(db, "Wmo twee jaar", [1, 2])
lst = run("analyse", "--db", db, "trajectories")["trajectories"]
check("trajectories lists it", [(x["id"], x["collections"], x["stories"]) for x in lst]
      == [(int(t2), [1, 2], 2500)], lst)
check("trajectories: questions by id, once each",
      len({q["id"] for q in lst[0]["questions"]}) == len(lst[0]["questions"]) > 5, lst)

c1 = run("analyse", "--db", db, "--collection", "1", "count")
c2 = run("analyse", "--db", db, "--collection", "2", "count")
tc = run("analyse", "--db", db, "--trajectory", t2, "count")
check("count adds up", tc["n"] == c1["n"] + c2["n"] == 2500, tc)
check("count per collection", tc["by_collection"] == {"1": 1500, "2": 1000}, tc)
check("channels add up", all(tc["by_channel"][k] == c1["by_channel"].get(k, 0) +
                             c2["by_channel"].get(k, 0) for k in tc["by_channel"]), tc)

d1 = run("analyse", "--db", db, "--collection", "1", "distribution", "q-situatie")
d2 = run("analyse", "--db", db, "--collection", "2", "distribution", "q-situatie")
dt = run("analyse", "--db", db, "--trajectory", t2, "distribution", "q-situatie")
sums = [a["count"] + b["count"] for a, b in zip(d1["options"], d2["options"])]
check("distribution adds up", [o["count"] for o in dt["options"]] == sums, dt["options"])
check("distribution n adds up", dt["n"] == d1["n"] + d2["n"] and
      dt["missing"] == d1["missing"] + d2["missing"], (dt["n"], dt["missing"]))

for coll in ("1", "2"):
    for args in (["distribution", "q-geholpen"], ["triad", "q-steun"],
                 ["crosstab", "q-situatie", "q-interventie"]):
        c = run("analyse", "--db", db, "--collection", coll, *args)
        t = run("analyse", "--db", db, "--trajectory", t2, *args, "--filter",
                f"collection = {coll}")
        check(f"collection = {coll}: same {' '.join(args)}", strip(c, "filter") ==
              strip(t, "filter"), json.dumps(c)[:200] + " / " + json.dumps(t)[:200])
t_ne = run("analyse", "--db", db, "--trajectory", t2, "count", "--filter", "collection != 1")
t_in = run("analyse", "--db", db, "--trajectory", t2, "count", "--filter", "collection in (1, 2)")
check("collection != 1", t_ne["n"] == 1000, t_ne["n"])
check("collection in (1, 2)", t_in["n"] == 2500, t_in["n"])
both = run("analyse", "--db", db, "--trajectory", t2, "count", "--filter",
           "collection = 2 and q-situatie = eenzaamheid")
one = run("analyse", "--db", db, "--collection", "2", "count", "--filter", "q-situatie = eenzaamheid")
check("collection with another condition", both["n"] == one["n"] > 0, (both["n"], one["n"]))
txt = 'text contains "hulp"'
tt = run("analyse", "--db", db, "--trajectory", t2, "count", "--filter", txt)
t1c = run("analyse", "--db", db, "--collection", "1", "count", "--filter", txt)
t2c = run("analyse", "--db", db, "--collection", "2", "count", "--filter", txt)
check("text contains over both collections", tt["n"] == t1c["n"] + t2c["n"] > 0 and
      tt["by_collection"] == {"1": t1c["n"], "2": t2c["n"]}, (tt["n"], t1c["n"], t2c["n"]))
tf = run("analyse", "--db", db, "--collection", "1", "count", "--filter", f"trajectory = {t2}")
check("trajectory = T on a collection of it", tf["n"] == 1500, tf["n"])

rc, msg = fails("analyse", "--db", db, "--trajectory", t2, "count", "--filter", "collection = 9")
check("unknown collection in a filter", rc != 0 and "collection 9 is not part of this analysis"
      in msg, msg)
rc, msg = fails("analyse", "--db", db, "--trajectory", t2, "count", "--filter", "collection = x")
check("collection id must be a number", rc != 0 and "expected a collection id" in msg, msg)
rc, msg = fails("analyse", "--db", db, "--trajectory", "77", "count")
check("unknown trajectory", rc != 0 and "no trajectory 77" in msg, msg)
rc, msg = fails("analyse", "--db", db, "--trajectory", t2, "--collection", "1", "count")
check("not both", rc != 0 and "not both" in msg, msg)

# a question only one collection asks: missing in the other's stories
con = sqlite3.connect(db)
con.execute("UPDATE stories SET answers = json_remove(answers, '$.\"q-gehoord\"') "
            "WHERE collection_id = 2")
con.commit()
con.close()
g1 = run("analyse", "--db", db, "--collection", "1", "distribution", "q-gehoord")
gt = run("analyse", "--db", db, "--trajectory", t2, "distribution", "q-gehoord")
check("unanswered in one collection: n from the other", gt["n"] == g1["n"], (gt["n"], g1["n"]))
check("unanswered in one collection: missing there",
      gt["missing"] == g1["missing"] + 1000, (gt["missing"], g1["missing"]))

# ---- the order stories were stored in does not matter ----------------------
rev = os.path.join(work, "traj2-reversed.db")
src = sqlite3.connect(db)
src.execute(f"VACUUM INTO '{rev}'")
src.close()
con = sqlite3.connect(rev)
con.execute("PRAGMA foreign_keys = OFF")
top_id = con.execute("SELECT max(id) FROM stories").fetchone()[0]
con.execute("UPDATE stories SET id = -id")
con.execute("UPDATE stories SET id = ? + 1 + id", (top_id,))
con.commit()
con.close()


def renumbered(doc, top=None):
    """The document with the story ids of the reversed database mapped back;
    lists of stories sorted (ties are listed by story id, which the
    renumbering reverses)."""
    if isinstance(doc, list):
        out = [renumbered(v, top) for v in doc]
        if out and all(isinstance(v, dict) and "story" in v for v in out):
            out.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return out
    if isinstance(doc, dict):
        return {k: top + 1 - v if top and k == "story" and isinstance(v, int)
                else renumbered(v, top) for k, v in doc.items()}
    return doc


for args in MEASURES + (["count", "--filter", "collection = 2"],):
    a = renumbered(run("analyse", "--db", db, "--trajectory", t2, *args))
    b = renumbered(run("analyse", "--db", rev, "--trajectory", t2, *args), top_id)
    check(f"same result in reverse order: {' '.join(args)}", a == b,
          json.dumps(a)[:200] + " / " + json.dumps(b)[:200])

print(f"analyse trajectory: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
