# The SDK: install it, build the example plugin OUT OF TREE with find_package, run its harness
# test, and load it with the host.
source "$(dirname "$0")/common.sh"
cmake --install "$BUILD_DIR" --prefix "$WORK/sdk" >/dev/null
check "the SDK installs its CMake package" test -f sdk/lib/cmake/SightlinePluginAPI/SightlinePluginAPIConfig.cmake
check "and the headers" test -f sdk/include/sightline/plugin/api.hpp
cmake -S "$SOURCE_DIR/plugin-api/examples/archive-plain" -B example -G Ninja \
  -DCMAKE_PREFIX_PATH="$WORK/sdk" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >cmake.log 2>&1 ||
  { cat cmake.log; fail "configure the example against the installed SDK"; finish; }
cmake --build example >build.log 2>&1 || { cat build.log; fail "build the example"; finish; }
pass "the example builds out of tree against the installed SDK"
run nm -D --defined-only example/sightline-archive-plain.so
expect_eq "it exports only the entry point" "sightline_plugin_v1" "$(echo "$out" | awk '$2 ~ /[A-Z]/ {print $3}' | grep -v '^_' | sort -u | tr '\n' ' ' | sed 's/ $//')"
run example/archive_plain_test
expect_eq "its harness test passes" 0 "$code"
echo "$out"
chmod 755 example
run "$WORK/sdk/bin/sightline" plugins inspect "$WORK/example/sightline-archive-plain.so"
expect_eq "the installed host inspects it" 0 "$code"
expect_contains "with its descriptor" "archive-plain" "$out"
write_profile profile.yaml
sed -i "s/plugin: archive-fs/plugin: archive-plain/" profile.yaml
printf 'order,timestamp,customer,item,price\nA,2026-01-01,1,x,3\n' > s.csv
run "$WORK/sdk/bin/sightline" load --profile profile.yaml --tenant demo --plugin-path "$WORK/example" s.csv
expect_eq "the host loads a file through it" 0 "$code"
check "the example archive kept the file" test -f "var/archive/demo/$(sha256sum s.csv | cut -d' ' -f1)"
finish
