# Two tenants must never share a database (issue 13): target-postgres turns '-' into '_', so
# 'acme-eu' and 'acme_eu' would be one database, role and password file. The host asks each
# target how it names a tenant's storage (plugin API 1.4) and refuses such a profile in
# `profile check` (text and --json) and at the start of every command, serve included. No
# PostgreSQL server is needed: naming reaches no server.
source "$(dirname "$0")/common.sh"

profile() { # profile FILE 'TARGET SECTION' TENANT...
  local file=$1 target=$2
  shift 2
  cat >"$file" <<YAML
version: 1
state_dir: $WORK/var/state
log: {format: json, level: info, file: $WORK/var/log/sightline.log}
archive: {plugin: archive-fs, config: {root: $WORK/var/archive}}
target: $target
tenants:
YAML
  for t in "$@"; do echo "  - id: $t" >>"$file"; done
}
pg='{plugin: target-postgres, config: {admin_dsn: "host=127.0.0.1 port=9 user=nobody dbname=postgres"}}'
sqlite="{plugin: target-sqlite, config: {dir: $WORK/var/db}}"
old='{plugin: api-1-0-target}'

profile pg.yaml "$pg" shop acme-eu acme_eu
run "$SIGHTLINE" profile check pg.yaml
expect_eq "profile check refuses acme-eu and acme_eu on target-postgres" 1 "$code"
expect_contains "it names the first tenant" "'acme-eu'" "$out"
expect_contains "it names the second tenant" "'acme_eu'" "$out"
expect_contains "it names the shared database" "'sightline_acme_eu'" "$out"
run "$SIGHTLINE" profile check --json pg.yaml
expect_eq "profile check --json exits 1" 1 "$code"
expect_eq "--json: not ok, one error" "False 1" "$(echo "$out" | json_get 'str(d["ok"]) + " " + str(len(d["errors"]))')"
expect_contains "--json: the error names both tenants" "tenants 'acme-eu' and 'acme_eu'" \
  "$(echo "$out" | json_get 'd["errors"][0]["message"]')"

run "$SIGHTLINE" tenant stats --profile pg.yaml --tenant shop
expect_eq "a command that opens the runtime refuses to start" 1 "$code"
expect_contains "and says why" "tenants 'acme-eu' and 'acme_eu' would share" "$out"
run timeout 20 "$SIGHTLINE" serve --profile pg.yaml
expect_eq "serve refuses to start" 1 "$code"
expect_contains "serve says why" "tenants 'acme-eu' and 'acme_eu' would share" "$out"

# A tenant id whose role name would pass PostgreSQL's 63-byte limit is refused up front too.
long=$(printf 'a%.0s' $(seq 1 60))
profile long.yaml "$pg" "$long"
run "$SIGHTLINE" profile check long.yaml
expect_eq "a tenant whose role name is too long is refused" 1 "$code"
expect_contains "naming it" "tenant '$long'" "$out"

# What stays accepted: distinct names on PostgreSQL; both ids on SQLite (one file per exact id,
# and ids are lower-case, so no file system folds them together).
profile pg-ok.yaml "$pg" acme-eu acme-us acme_uk
run "$SIGHTLINE" profile check pg-ok.yaml
expect_eq "distinct PostgreSQL names are accepted: $out" 0 "$code"
profile sqlite.yaml "$sqlite" acme-eu acme_eu
run "$SIGHTLINE" profile check sqlite.yaml
expect_eq "acme-eu and acme_eu are separate files on target-sqlite: $out" 0 "$code"
run "$SIGHTLINE" tenant stats --profile sqlite.yaml --tenant acme_eu
expect_eq "and the runtime starts" 0 "$code"

# A target built for plugin API 1.0 cannot be asked: accepted, with a warning saying so.
profile old.yaml "$old" acme-eu acme_eu
run "$SIGHTLINE" profile check --plugin-path "$BUILD_DIR/test-plugins/good" old.yaml
expect_eq "a target built before 1.4 keeps working" 0 "$code"
expect_contains "with a warning that the host cannot check it" "cannot check that no two tenants share" "$out"
run "$SIGHTLINE" profile check --json --plugin-path "$BUILD_DIR/test-plugins/good" old.yaml
expect_contains "--json lists the warning" "built for plugin API 1.0" "$(echo "$out" | json_get 'd["warnings"][0]')"
finish
