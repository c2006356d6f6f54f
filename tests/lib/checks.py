"""checks.py: the pass/fail tally of the Python test scripts.

    from checks import check, tally, finish
    check("name", ok, "detail shown when it fails")
    finish("layer")   # prints "layer: N passed, M failed", exits 1 on a failure
"""
import sys


class Tally:
    passed = 0
    failed = 0


tally = Tally()


def check(name, ok, detail=""):
    """Counts one check; a failed one is printed at once with its detail."""
    if ok:
        tally.passed += 1
    else:
        tally.failed += 1
        print(f"FAIL {name} {detail}", flush=True)
    return ok


def finish(layer):
    print(f"{layer}: {tally.passed} passed, {tally.failed} failed", flush=True)
    sys.exit(1 if tally.failed else 0)
