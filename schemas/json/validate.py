#!/usr/bin/env python3
"""Validates Tradewind JSON envelopes (one per line, from files or stdin) against the
*.schema.json documents beside this script. Needs python3-jsonschema (>= 4.18).

    ./validate.py captured.jsonl          # exit status 1 if any line is invalid
"""
import fileinput
import json
import pathlib
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource


def main() -> int:
    here = pathlib.Path(__file__).resolve().parent
    docs = [json.loads(p.read_text()) for p in sorted(here.glob("*.schema.json"))]
    for doc in docs:
        Draft202012Validator.check_schema(doc)
    registry = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in docs)
    envelope = next(d for d in docs if d["title"] == "envelope")
    validator = Draft202012Validator(envelope, registry=registry)
    invalid = 0
    for line in fileinput.input():
        if not line.strip():
            continue
        where = f"{fileinput.filename()}:{fileinput.filelineno()}"
        try:
            message = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"{where}: malformed JSON: {e}")
            invalid += 1
            continue
        for error in validator.iter_errors(message):
            path = ".".join(str(p) for p in error.absolute_path) or "(envelope)"
            print(f"{where}: {path}: {error.message}")
            invalid += 1
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
