#!/usr/bin/env python3
"""Smoke run of one benchmark program (CI): runs the command after `--`, requires exit 0 and a
last stdout line that is one JSON object whose listed figures (dotted paths) are numbers > 0,
so the README's figures always come from programs that still start and do real work.
Usage: smoke_check.py PATH[,PATH...] -- COMMAND [ARG...]   (env values like $X are expanded)"""
import json, os, subprocess, sys

def figure(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj

def main():
    sep = sys.argv.index("--")
    paths = [p for p in sys.argv[1:sep][0].split(",") if p]
    cmd = [os.path.expandvars(a) for a in sys.argv[sep + 1:]]
    run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sys.stderr.write(run.stderr[-4000:])
    if run.returncode != 0:
        print(f"smoke: {cmd[0]} exited {run.returncode}")
        return 1
    lines = [l for l in run.stdout.splitlines() if l.strip()]
    if not lines:
        print(f"smoke: {cmd[0]} printed nothing")
        return 1
    try:
        doc = json.loads(lines[-1])
    except json.JSONDecodeError as e:
        print(f"smoke: last line is not JSON ({e}): {lines[-1][:300]}")
        return 1
    bad = [p for p in paths if not isinstance(figure(doc, p), (int, float)) or figure(doc, p) <= 0]
    if bad:
        print(f"smoke: figures missing or not > 0: {', '.join(bad)} in {lines[-1][:600]}")
        return 1
    print(f"smoke: {os.path.basename(cmd[0])} ok: {lines[-1][:300]}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
