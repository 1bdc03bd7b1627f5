# Plugin loading from the host's side: broken plugins are refused with their reason and the host
# survives; untrusted files are refused; serve refuses to start naming the failing plugin.
source "$(dirname "$0")/common.sh"
BAD="$BUILD_DIR/test-plugins/bad"
GOOD="$BUILD_DIR/test-plugins/good"
mkdir -p plugins
cp "$BAD"/*.so "$GOOD"/*.so plugins/
chmod 755 plugins plugins/*.so

run "$SIGHTLINE" plugins list --plugin-path "$WORK/plugins" --json
expect_eq "plugins list survives every broken plugin" 0 "$code"
refusal() { echo "$out" | python3 -c 'import json,sys
for p in json.load(sys.stdin):
    if p["file"].endswith("/sightline-" + sys.argv[1] + ".so"): print(p.get("refusal", "OK"))' "$1"; }
expect_contains "wrong API major names both versions" \
  "plugin 'wrong-api-major' ($WORK/plugins/sightline-wrong-api-major.so) was built for plugin API 2.1; this host provides 1.6" \
  "$(refusal wrong-api-major)"
expect_contains "missing entry point" "has no entry point sightline_plugin_v1" "$(refusal no-entry-point)"
expect_contains "not a shared object" "cannot load" "$(refusal not-a-library)"
expect_contains "a crash while loading is reported by name" "sightline-crashes-on-load.so crashed while loading (signal 11" "$(refusal crashes-on-load)"
expect_contains "another C++ ABI" "was built for C++ ABI 'msvc/msvcprt'" "$(refusal wrong-abi)"
expect_eq "a good plugin is listed" "OK" "$(refusal null-archive)"
expect_eq "throws-in-init loads (it only fails when created)" "OK" "$(refusal throws-in-init)"
check "bundled plugins are found next to the host" bash -c "'$SIGHTLINE' plugins list | grep -q '^target-sqlite  target'"

run "$SIGHTLINE" plugins inspect wrong-api-major --plugin-path "$WORK/plugins"
expect_eq "inspect of a refused plugin exits 1" 1 "$code"
run "$SIGHTLINE" plugins inspect archive-fs --json
expect_eq "inspect --json exits 0" 0 "$code"
expect_eq "inspect shows the config schema" "True" "$(echo "$out" | json_get '"root" in d["config_schema"]')"
run "$SIGHTLINE" plugins inspect "$WORK/plugins/sightline-crashes-on-load.so"
expect_eq "inspect of a crashing file exits 1" 1 "$code"
expect_contains "and names it" "crashed while loading" "$out"

# Trust: a world-writable file, a group-writable folder.
mkdir -p loose && cp "$GOOD/sightline-null-archive.so" loose/ && chmod 755 loose && chmod 666 loose/sightline-null-archive.so
run "$SIGHTLINE" plugins inspect "$WORK/loose/sightline-null-archive.so"
expect_contains "a world-writable plugin file is refused" "is world-writable" "$out"
chmod 644 loose/sightline-null-archive.so && chmod 775 loose
run "$SIGHTLINE" plugins inspect "$WORK/loose/sightline-null-archive.so"
expect_contains "a group-writable plugin folder is refused" "plugin folder $WORK/loose is group-writable" "$out"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  chmod 755 loose && chown nobody loose/sightline-null-archive.so
  run "$SIGHTLINE" plugins inspect "$WORK/loose/sightline-null-archive.so"
  expect_contains "a plugin owned by another user is refused" "is owned by another user" "$out"
fi

# serve and load refuse to start when a plugin fails, naming it.
write_profile profile.yaml
sed -i 's/plugin: archive-fs/plugin: throws-in-init/; s/config: {root: .*archive}/config: {}/' profile.yaml
run "$SIGHTLINE" serve --profile profile.yaml --drain --plugin-path "$WORK/plugins"
expect_eq "serve refuses to start" 1 "$code"
expect_contains "naming the plugin and the reason" "plugin 'throws-in-init' failed to start: cannot reach the storage service" "$out"
sed -i 's/plugin: throws-in-init/plugin: crashes-on-load/' profile.yaml
run "$SIGHTLINE" serve --profile profile.yaml --drain --plugin-path "$WORK/plugins"
expect_eq "serve refuses a plugin that crashes on load" 1 "$code"
expect_contains "by name" "plugin 'crashes-on-load' refused: plugin file $WORK/plugins/sightline-crashes-on-load.so crashed while loading" "$out"
sed -i 's/plugin: crashes-on-load/plugin: target-sqlite/' profile.yaml
run "$SIGHTLINE" profile check profile.yaml
expect_eq "a target plugin in the archive role is refused" 1 "$code"
expect_contains "with the kinds" "plugin 'target-sqlite' is a target plugin; archive needs a archive plugin" "$out"

# profile check: file, line and key; unknown keys list the allowed ones.
write_profile profile.yaml
sed -i 's/poll_interval_ms: 50/poll_intervall_ms: 50/' profile.yaml
run "$SIGHTLINE" profile check profile.yaml
expect_eq "profile check exits 1 on errors" 1 "$code"
expect_contains "error names file, line and key, and lists allowed keys" \
  "profile.yaml:12:" "$out"
expect_contains "unknown plugin key" "key 'transports[0].config.poll_intervall_ms': unknown key; allowed keys:" "$out"
write_profile profile.yaml
echo "plugins: {allow: [archive-fs, target-sqlite]}" >> profile.yaml
run "$SIGHTLINE" profile check profile.yaml
expect_contains "the allow-list refuses a plugin not on it" "plugin 'intake-dir' is not in plugins.allow" "$out"
write_profile profile.yaml
run "$SIGHTLINE" profile check profile.yaml
expect_eq "a good profile passes" 0 "$code"
finish
