#!/usr/bin/env bash
# Backs up the data directory of a single-box install (mvn -Pdev -Ddata=DIR) into one archive:
# PostgreSQL, Neo4j, Redis, Kafka's log and the signing keys, as they are on disk. It is a cold
# backup: stop the stack first (Ctrl-C or SIGTERM lets every engine stop cleanly); a directory left
# by a crash is copied too, and each engine recovers it at the next start as after the crash.
# The embedded engines bring no online backup (no pg_basebackup or neo4j-admin); for external
# databases use theirs (docs/backup.md).
#
#   bash src/main/tools/backup.sh DIR [ARCHIVE]     # ARCHIVE defaults to coherence-backup-<UTC time>.tgz
#
# Writes ARCHIVE and ARCHIVE.sha256; guard both like DIR itself (keys/ holds the token signing key).
set -euo pipefail

dir=${1:?usage: backup.sh DIR [ARCHIVE]}
archive=${2:-coherence-backup-$(date -u +%Y%m%dT%H%M%SZ).tgz}
[ -d "$dir/postgres" ] && [ -d "$dir/neo4j" ] \
  || { echo "$dir is not a Coherence data directory (no postgres/ and neo4j/ in it)" >&2; exit 2; }
pidfile=$dir/postgres/data/postmaster.pid
if [ -f "$pidfile" ] && kill -0 "$(head -1 "$pidfile")" 2>/dev/null; then
  echo "the stack on $dir is running (PostgreSQL pid $(head -1 "$pidfile")): stop it, then back up" >&2
  exit 3
fi
# The running stack's lock file is not data.
tar -C "$dir" --exclude=./engines.lock -czf "$archive.partial" .
mv "$archive.partial" "$archive"
(cd "$(dirname "$archive")" && sha256sum "$(basename "$archive")" > "$(basename "$archive").sha256")
echo "backed up $dir to $archive ($(du -h "$archive" | cut -f1))"
