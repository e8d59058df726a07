#!/usr/bin/env bash
# Restores an archive written by backup.sh into a new data directory, checking its SHA-256 first
# when ARCHIVE.sha256 is beside it. Then start the stack on it: mvn -o -Pdev -Ddata=DIR. Migrations
# run at start; the materializer recomputes every tenant's score from the restored signals within
# COHERENCE_SCORE_MAX_STALENESS. Tokens signed with the backed-up keys verify again.
#
#   bash src/main/tools/restore.sh ARCHIVE DIR
set -euo pipefail

archive=${1:?usage: restore.sh ARCHIVE DIR}
dir=${2:?usage: restore.sh ARCHIVE DIR}
[ -f "$archive" ] || { echo "no archive $archive" >&2; exit 2; }
if [ -f "$archive.sha256" ]; then
  (cd "$(dirname "$archive")" && sha256sum --quiet -c "$(basename "$archive").sha256") \
    || { echo "$archive does not match $archive.sha256: not restored" >&2; exit 4; }
fi
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$dir is not empty: restore into a new directory (nothing was changed)" >&2
  exit 3
fi
mkdir -p "$dir"
tar -C "$dir" -xzf "$archive"
echo "restored $archive into $dir; start it with: mvn -o -Pdev -Ddata=$dir"
