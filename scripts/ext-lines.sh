#!/bin/sh
# camb-api-ext's hand-written lines: every non-blank line (code, docs and
# comments) of camb-api-ext/src, at a git revision (default: the work tree),
# in all and without unit tests (`tests.rs` files and everything after a
# file's `#[cfg(test)]`). Issue 20, item 7: "thin stays thin".
#
#   scripts/ext-lines.sh            # the work tree
#   scripts/ext-lines.sh 7abac94    # a commit
set -eu
cd "$(dirname "$0")/.."
rev="${1:-}"
list() {
    if [ -n "$rev" ]; then
        git ls-tree -r --name-only "$rev" -- camb-api-ext/src
    else
        git ls-files --cached --others --exclude-standard -- camb-api-ext/src
    fi | grep '\.rs$'
}
show() {
    if [ -n "$rev" ]; then git show "$rev:$1"; else cat "$1"; fi
}
all=0
lib=0
for file in $(list); do
    n=$(show "$file" | grep -cv '^[[:space:]]*$' || true)
    all=$((all + n))
    case "$file" in
    */tests.rs) ;;
    *) lib=$((lib + $(show "$file" | sed '/^#\[cfg(test)\]/,$d' | grep -cv '^[[:space:]]*$' || true))) ;;
    esac
done
echo "camb-api-ext/src at ${rev:-the work tree}: $all non-blank lines, $lib without unit tests"
