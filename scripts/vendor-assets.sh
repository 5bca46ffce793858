#!/usr/bin/env bash
# Refresh the front-end files embedded in the binary from the npm registry. The results are
# committed under crates/web/assets/vendor, so building and running need no network.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack @fontsource/noto-nastaliq-urdu@5.3.0 >/dev/null
tar xzf fontsource-noto-nastaliq-urdu-5.3.0.tgz
out="$here/crates/web/assets/vendor/fonts"
mkdir -p "$out"
cp package/files/noto-nastaliq-urdu-arabic-400-normal.woff2 package/files/noto-nastaliq-urdu-arabic-700-normal.woff2 "$out/"
cp package/LICENSE "$out/OFL-noto-nastaliq-urdu.txt"
rm -rf package
# Cytoscape.js (MIT) for the network view; its minified build is served as it comes.
npm pack cytoscape@3.34.4 >/dev/null
tar xzf cytoscape-3.34.4.tgz
out="$here/crates/web/assets/vendor/cytoscape"
mkdir -p "$out"
cp package/dist/cytoscape.min.js "$out/"
cp package/LICENSE "$out/LICENSE.txt"
# Apache ECharts (Apache-2.0) for the dashboards: bars, lines, the case funnel and route flows
# (Sankey) are all in its full minified build, served as it comes.
npm pack echarts@5.6.0 >/dev/null
tar xzf echarts-5.6.0.tgz
out="$here/crates/web/assets/vendor/echarts"
mkdir -p "$out"
cp package/dist/echarts.min.js "$out/"
cp package/LICENSE "$out/LICENSE.txt"
rm -rf package
echo "vendored into $here/crates/web/assets/vendor"
