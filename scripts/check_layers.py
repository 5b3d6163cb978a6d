#!/usr/bin/env python3
"""Fails on any `#include "..."` of our own code that runs against the layering in README.md
("Layers"): a folder may include only itself and the folders listed for it. Third-party and
system headers (<...>, "caf/...") are not checked. Prints file:line: what and why for each.
Usage: check_layers.py [ROOT]   (default: the repository this script is in)"""
import os, re, sys

# Bottom to top. Each folder may include itself and what its row names (nothing else of ours).
# tests/, bench/ and fuzz/ may include anything.
ALLOWED = {
    "schemas": [],
    "net": ["schemas"],
    "config": ["schemas", "net"],
    "topology": ["schemas", "config", "net"],
    "actors/core": ["schemas", "config", "net"],
    "actors/storage": ["schemas", "config", "net", "actors/core"],
    # every other actor kind: the ground floor, the core and the store interface
    "actors/*": ["schemas", "config", "net", "actors/core", "actors/storage"],
    "bridge": ["schemas", "config", "net", "topology", "actors/core", "actors/storage"],
    "tools": ["*"],
    "tests": ["*"],
    "bench": ["*"],
    "fuzz": ["*"],
}

# Arrows that exist today and that the structure issue removes; nothing may be added here.
KNOWN = set()

ACTOR_KINDS = ("collectors", "strategies", "risk", "executors", "portfolio", "notifiers", "storage", "core")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer_of(path):
    """The ALLOWED key that governs a repository-relative path, or None (not our code)."""
    parts = path.split("/")
    if parts[0] == "actors" and len(parts) > 2:
        kind = parts[1]
        if kind in ("core", "storage"):
            return "actors/" + kind
        return "actors/*" if kind in ACTOR_KINDS else None
    if parts[0] == "bridge":
        return "bridge"
    return parts[0] if parts[0] in ALLOWED else None


def folder_of(path):
    """The folder an included path belongs to, as the rules name them (actors/<kind>)."""
    parts = path.split("/")
    return "/".join(parts[:2]) if parts[0] == "actors" and len(parts) > 2 else parts[0]


def permitted(src, dst):
    src_layer, dst_folder = layer_of(src), folder_of(dst)
    if src_layer is None or layer_of(dst) is None:
        return True  # third-party headers, generated files
    allowed = ALLOWED[src_layer]
    if "*" in allowed or dst_folder in allowed:
        return True
    own = folder_of(src)
    return dst_folder == own or (src_layer == "bridge" and dst_folder == "bridge")


def violations(root):
    found = []
    for top in ("schemas", "net", "config", "topology", "actors", "bridge", "tools"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in sorted(files):
                if not name.endswith((".hpp", ".cpp", ".h", ".in")):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m or not os.path.exists(os.path.join(root, m.group(1))):
                            continue  # local includes ("observer.hpp") and third-party
                        dst = m.group(1)
                        if not permitted(rel, dst) and (rel, dst) not in KNOWN:
                            found.append(f"{rel}:{lineno}: includes {dst}: {layer_of(rel)} may include only "
                                         f"{', '.join(ALLOWED[layer_of(rel)]) or 'itself'} (README.md, Layers)")
    return found


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    found = violations(root)
    for v in found:
        print(v)
    if found:
        print(f"check_layers: {len(found)} include(s) against the layering")
        return 1
    print("check_layers: every include follows the layering")
    return 0


if __name__ == "__main__":
    sys.exit(main())
