# The plugin checked is the plugin loaded (issue 13): each plugin file is opened once, never
# through a symbolic link, checked through that descriptor together with every folder up to /,
# and loaded from that descriptor. `plugins list` says why a file was refused.
source "$(dirname "$0")/common.sh"
GOOD="$BUILD_DIR/test-plugins/good"
SO=sightline-null-archive.so
REAL=$(pwd -P)  # the folders as the kernel names them ($WORK is 0700 in /tmp: 1777, root's)

# plugins list --json for one folder: the null-archive entry's refusal, or OK.
refusal() {
  "$SIGHTLINE" plugins list --plugin-path "$1" --json | python3 -c 'import json,sys
for p in json.load(sys.stdin):
    if p["file"].endswith("/sightline-null-archive.so"): print(p.get("refusal", "OK"))'
}
plant() { # plant FOLDER: a copy of a real plugin, trusted modes
  mkdir -p "$1" && cp "$GOOD/$SO" "$1/" && chmod 644 "$1/$SO" && chmod 755 "$1"
}

plant good
expect_eq "a plugin in trusted folders loads" "OK" "$(refusal "$WORK/good")"

# A plugin folder whose entry is a link to a copy in a world-writable (not sticky) folder.
plant evil && chmod 0777 evil
mkdir links && chmod 755 links && ln -s "$WORK/evil/$SO" links/$SO
out=$(refusal "$WORK/links")
expect_contains "a plugin file that is a symbolic link is refused" \
  "plugin file $WORK/links/$SO is a symbolic link (to $WORK/evil/$SO)" "$out"

# The folder itself reached through a link: the real folders are checked, up to /.
plant evil/plugins
ln -s "$WORK/evil/plugins" via-link
expect_contains "a folder above the plugin that is world-writable is refused" \
  "folder $REAL/evil (above plugin folder $REAL/evil/plugins) is world-writable" \
  "$(refusal "$WORK/via-link")"
expect_contains "and named so by plugins list" "is world-writable" "$(refusal "$WORK/evil/plugins")"

# A group-writable folder two levels up.
plant team/deploy/plugins && chmod 755 team/deploy && chmod 775 team
expect_contains "a group-writable parent folder is refused" \
  "folder $REAL/team (above plugin folder $REAL/team/deploy/plugins) is group-writable" \
  "$(refusal "$WORK/team/deploy/plugins")"

# Sticky is not enough when the folder is not root's: its owner could still swap entries.
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
  plant shared/plugins && chmod 1777 shared && chown nobody shared
  expect_contains "a folder above owned by another user is refused" \
    "folder $REAL/shared (above plugin folder $REAL/shared/plugins) is owned by another user" \
    "$(refusal "$WORK/shared/plugins")"
fi

# The same checks stop a profile from using such a plugin: profile check and serve.
write_profile profile.yaml
sed -i 's/plugin: archive-fs/plugin: null-archive/; s/config: {root: .*archive}/config: {}/' profile.yaml
run "$SIGHTLINE" profile check profile.yaml --plugin-path "$WORK/links"
expect_eq "profile check refuses the linked plugin" 1 "$code"
expect_contains "naming it and why" "plugin 'null-archive' refused: plugin file $WORK/links/$SO is a symbolic link" "$out"
run "$SIGHTLINE" serve --profile profile.yaml --drain --plugin-path "$WORK/team/deploy/plugins"
expect_eq "serve refuses to start with a plugin below a group-writable folder" 1 "$code"
expect_contains "naming the folder" "folder $REAL/team (above plugin folder" "$out"
run "$SIGHTLINE" serve --profile profile.yaml --drain --plugin-path "$WORK/good"
expect_eq "serve starts with the plugin from trusted folders" 0 "$code"
finish
