#!/usr/bin/env bash
# Print a PATH prefix with the newest installed CPython 3.10-3.13 of pyenv (if pyenv exists),
# so tox finds every interpreter of the matrix without downloading any.
set -euo pipefail
root="${PYENV_ROOT:-$HOME/.pyenv}"
dirs=()
for minor in 3.10 3.11 3.12 3.13; do
  best=$(ls -d "$root"/versions/"$minor".* 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$best" ] && dirs+=("$best/bin")
done
(IFS=:; echo "${dirs[*]}")
