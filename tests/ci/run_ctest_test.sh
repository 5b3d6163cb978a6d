#!/usr/bin/env bash
# Runs scripts/run_ctest.sh (arg 1) on a throwaway ctest folder: a passing test alone must pass
# under CI=true; a skipped test, a failing test that prints gtest's skip marker and a test
# skipped by return code must each fail a CI=true run (and be listed), and outside CI the same
# folder passes with the skip count printed.
set -u
RUN=$1
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

make_dir() { # name, then CTest lines
  local d=$work/$1; shift; mkdir -p "$d"; printf '%s\n' "$@" > "$d/CTestTestfile.cmake"; echo "$d"
}
skip_marker="echo '[  SKIPPED ] because'"
regex='set_tests_properties(%s PROPERTIES SKIP_REGULAR_EXPRESSION "\\\\[  SKIPPED \\\\]")'

clean=$(make_dir clean 'add_test(passer sh -c "exit 0")')
(cd "$clean" && CI=true "$RUN" >out 2>&1) || fail "a run without skips failed under CI: $(cat "$clean/out")"
grep -q "0 tests skipped" "$clean/out" || fail "no skip count printed for a clean run"

for kind in marker marker_and_failure return_code; do
  case $kind in
    marker) body="$skip_marker; exit 0"; prop=$(printf "$regex" skipper) ;;
    marker_and_failure) body="$skip_marker; exit 1"; prop=$(printf "$regex" skipper) ;;
    return_code) body="exit 77"; prop='set_tests_properties(skipper PROPERTIES SKIP_RETURN_CODE 77)' ;;
  esac
  d=$(make_dir "$kind" 'add_test(passer sh -c "exit 0")' "add_test(skipper sh -c \"$body\")" "$prop")
  if (cd "$d" && CI=true "$RUN" >out 2>&1); then fail "$kind: CI=true run with a skipped test passed"; fi
  grep -q "skipper" "$d/out" || fail "$kind: the skipped test is not listed"
  if [ $kind != marker_and_failure ]; then
    (cd "$d" && CI= "$RUN" >out2 2>&1) || fail "$kind: outside CI a skip alone failed the run"
    grep -q "1 TEST(S) SKIPPED" "$d/out2" || fail "$kind: outside CI the skip count is not printed"
  fi
done
echo "run_ctest.sh: skips fail CI runs, are counted outside CI"
