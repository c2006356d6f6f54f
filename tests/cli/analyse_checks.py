#!/usr/bin/env python3
"""analyse_checks.py: the pattern engine's correctness on demo data (issue: "Correctness").

usage: analyse_checks.py BINARY DIR

- on demo data the pattern finder ranks every planted effect among its top
  findings, the period comparison finds the planted shift, people over time
  improve, and client and consultant differ where it was planted;
- on demo data with every effect switched off (--null), the share of
  findings with q < 0.05 stays at or under 5% over repeated seeds;
- results do not depend on the order the stories were stored in.
Prints "analyse: N passed, M failed" and exits 1 on a failure.
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
        print(f"FAIL {name}: {detail}")


def run(*args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def demo(name, stories, seed, null=False):
    db = os.path.join(work, name)
    args = ["demo", "--db", db, "--stories", str(stories), "--seed", str(seed)]
    if null:
        args.append("--null")
    d = run(*args)
    return db, str(d["collection"])


def analyse(db, coll, *args):
    return run("analyse", "--db", db, "--collection", coll, *args)


# ---- planted effects are found ------------------------------------------
db, coll = demo("effects.db", 4000, 11)
pat = analyse(db, coll, "patterns", "--outcome", "q-geholpen", "--limit", "10")
top = [p["filter"] for p in pat["patterns"]]
for want in ("q-situatie = eenzaamheid and q-interventie = dagbesteding",
             "q-situatie = alleen-wonend and q-interventie = dagbesteding",
             "q-situatie = lichamelijke-beperking and q-interventie = woningaanpassing"):
    check(f"pattern in top 10: {want}", want in top, top)
    found = [p for p in pat["patterns"] if p["filter"] == want]
    if found:
        check(f"pattern significant and positive: {want}",
              found[0]["q"] < 0.05 and found[0]["difference"] > 10, found[0])
# the planted absence: dagbesteding does not help with money worries
absent = "q-situatie = geldzorgen and q-interventie = dagbesteding"
check("planted absence not among the top", absent not in top[:5], top)

cmp = analyse(db, coll, "compare", "--a", "period = 2024", "--b", "period = 2025")
by_q = {q["question"]: q for q in cmp["questions"] if "option" not in q}
check("period shift: heard", by_q["q-gehoord"]["q"] < 0.001, by_q["q-gehoord"])
check("period shift: heard is lower in 2025", by_q["q-gehoord"]["effect"] > 0, by_q["q-gehoord"])
check("period shift: triad moves", by_q["q-steun"]["q"] < 0.001, by_q["q-steun"])
check("period shift: ranked near the top",
      [q["question"] for q in cmp["questions"][:4]].count("q-gehoord") == 1,
      [q["question"] for q in cmp["questions"][:4]])
check("compare has q for every tested question",
      all("q" in q for q in cmp["questions"] if not q.get("too_few")))

ot = analyse(db, coll, "over-time", "q-geholpen")
check("over time: people improve", ot["mean_change"]["ci"][0] > 5 and ot["test"]["p"] < 0.001, ot)

per = analyse(db, coll, "perspectives", "q-geholpen", "--filter", "q-situatie = psychische-klachten")
check("perspectives: consultant higher in psychische-klachten",
      per["mean_difference"]["ci"][0] > 15, per.get("mean_difference"))
per_other = analyse(db, coll, "perspectives", "q-geholpen", "--filter", "q-situatie = geldzorgen")
check("perspectives: no planted difference elsewhere",
      abs(per_other["mean_difference"]["value"]) < 8, per_other.get("mean_difference"))

# ---- no effects: the false discovery share stays at or under 5% --------
tested = significant = 0
for seed in range(1, 6):
    ndb, ncoll = demo(f"null{seed}.db", 3000, seed, null=True)
    p = analyse(ndb, ncoll, "patterns", "--outcome", "q-geholpen")
    tested += p["tested"]
    significant += p["significant"]
    c = analyse(ndb, ncoll, "compare", "--a", "period = 2024", "--b", "period = 2025")
    qs = [q for q in c["questions"] if q.get("q") is not None]
    tested += len(qs)
    significant += sum(1 for q in qs if q["q"] < 0.05)
check("null: share of findings with q < 0.05 at most 5%",
      tested > 0 and significant / tested <= 0.05, f"{significant}/{tested}")

# ---- the order stories were stored in does not matter --------------------
rev = os.path.join(work, "reversed.db")
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
for args in (["count"], ["distribution", "q-geholpen"], ["crosstab", "q-situatie", "q-interventie"],
             ["triad", "q-steun", "--filter", "q-situatie = eenzaamheid"],
             ["compare", "--a", "period = 2024", "--b", "period = 2025"],
             ["patterns", "--outcome", "q-geholpen"]):
    a = analyse(db, coll, *args)
    b = analyse(rev, coll, *args)
    check(f"same result in reverse order: {' '.join(args)}", a == b,
          json.dumps(a)[:200] + " / " + json.dumps(b)[:200])

print(f"analyse: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
