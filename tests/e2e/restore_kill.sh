# `sightline restore --replace` killed with SIGKILL part-way, on SQLite: the tenant keeps all its
# old data (the restore is built in <tenant>.beside.sqlite and swapped in by one write
# transaction), and a rerun finishes. The body is restore_kill.bash.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
write_profile profile.yaml
sed "s|$WORK/var/archive|$WORK/var/archive-extra|" profile.yaml >extra.yaml
beside_exists() { test -e var/db/demo.beside.sqlite; }
export -f beside_exists
source "$here/restore_kill.bash"
check "the tenant's database passes SQLite's integrity check" \
  test "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])' var/db/demo.sqlite)" == ok
finish
