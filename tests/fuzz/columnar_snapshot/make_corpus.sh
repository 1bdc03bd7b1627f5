#!/bin/sh
# Writes the seed corpus: real snapshots built and encoded by the plugin's own code (see the
# comment at the top of fuzz_columnar_snapshot.cpp). Usage: make_corpus.sh <fuzz_columnar_snapshot>
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/corpus"
FUZZ_COLUMNAR_WRITE_SEEDS="$here/corpus" "$1" -runs=0
