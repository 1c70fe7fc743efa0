#!/usr/bin/env python3
"""Checks the JSON report of a `--transport pcsc` run: the APDU trace holds
real card answers that came through pcscd (not in-process ones).

usage: pcsc_trace_check.py REPORT.json
"""
import json
import sys


def main(path):
    report = json.load(open(path, encoding="utf-8"))
    errors = []
    if report.get("transport") != "pcsc":
        errors.append(f"transport is {report.get('transport')!r}, not 'pcsc'")
    runs = [r for r in report["results"] if r["result"] != "SKIPPED"]
    for run in runs:
        name = run["id"] + (f"[{run['variant']}]" if run.get("variant") else "")
        events = run["trace"]
        notes = [e["data"] for e in events if e["type"] == "note"]
        if not any("reader 'Zairyu vpcd" in str(n) for n in notes):
            errors.append(f"{name}: no note naming the vpcd reader")
        apdus = [e["data"] for e in events if e["type"] == "apdu"]
        if not apdus:
            errors.append(f"{name}: no APDUs in the trace")
        for a in apdus:
            # adult-valid's auth PIN "1234" must never appear in a VERIFY.
            if a["masked"] and "31323334" in a["command"].replace(" ", ""):
                errors.append(f"{name}: a masked command shows the PIN: {a['command']}")
        if any(a["command"].replace(" ", "").startswith("0020") and not a["masked"]
               and len(a["command"].replace(" ", "")) > 10 for a in apdus):
            errors.append(f"{name}: a VERIFY with a PIN is not masked")
    # A card answer with data (a certificate, a challenge) ending in 9000.
    answers = [
        e["data"]["response"].replace(" ", "")
        for r in runs
        for e in r["trace"]
        if e["type"] == "apdu"
    ]
    if not any(len(a) > 4 and a.upper().endswith("9000") for a in answers):
        errors.append("no card answer with data and 9000 in any run")
    for e in errors:
        print("pcsc_trace_check:", e)
    print(f"pcsc_trace_check: {len(runs)} runs, {len(answers)} APDUs, "
          f"{'OK' if not errors else 'FAILED'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
