#!/usr/bin/env bash
# scripts/check_layers.py (arg 1) on throwaway trees: a tree that follows the layering passes;
# a deliberately wrong include (a lower layer reaching up, one actor kind into another's
# internals) fails and is named with file:line. Then the real tree (arg 2) must pass.
set -u
CHECK=$1 REPO=$2
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

tree() { # dir, then "file:include" pairs (include may be empty)
  local d=$work/$1; shift
  for spec in "$@"; do
    local f=${spec%%:*} inc=${spec#*:}
    mkdir -p "$d/$(dirname "$f")"; touch "$d/$f"
    [ -n "$inc" ] && { mkdir -p "$d/$(dirname "$inc")"; touch "$d/$inc"; echo "#include \"$inc\"" >> "$d/$f"; }
  done
  echo "$d"
}

good=$(tree good "actors/risk/gate.cpp:schemas/fixed.hpp" "bridge/rest/api.cpp:actors/core/bus.hpp" \
                 "tools/main.cpp:actors/risk/gate.hpp" "topology/x.cpp:config/node_config.hpp")
python3 "$CHECK" "$good" >"$work/out" || fail "a well-layered tree failed: $(cat "$work/out")"

up=$(tree up "schemas/fixed.hpp:actors/core/bus.hpp")
python3 "$CHECK" "$up" >"$work/out" && fail "schemas including actors/core passed"
grep -q "schemas/fixed.hpp:1: includes actors/core/bus.hpp" "$work/out" || fail "violation not named: $(cat "$work/out")"

sideways=$(tree sideways "bridge/rest/state.hpp:actors/risk/trading_states.hpp" "actors/notifiers/n.cpp:actors/risk/checks.hpp")
python3 "$CHECK" "$sideways" >"$work/out" && fail "bridge/rest → actors/risk passed"
[ "$(grep -c ': includes ' "$work/out")" = 2 ] || fail "expected 2 violations: $(cat "$work/out")"

python3 "$CHECK" "$REPO" || fail "the repository breaks its own layering"
echo "check_layers.py: wrong includes fail, the tree passes"
