#!/bin/sh
# Rebuild web/static/vendor/codemirror/ (the bundle and the licences of what is in it).
# Needs Node 20 and npm, at development time only; it works in a scratch folder outside
# the repository so no node_modules ever lands in it. Usage: sh scripts/sparql-editor/build.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../web/static/vendor/codemirror"
scratch=${SCRATCH:-$(mktemp -d /tmp/sparql-editor.XXXXXX)}
cp "$here/package.json" "$here/editor.js" "$scratch/"
cd "$scratch"
npm install --no-audit --no-fund 
npx esbuild editor.js --bundle --minify --format=esm --target=es2020 \
  --legal-comments=none --outfile="$out/sparql-editor.js"
{
  echo "sparql-editor.js bundles these packages, each under the MIT licence below it."
  for dir in node_modules/@codemirror/* node_modules/@lezer/* node_modules/@marijn/* \
             node_modules/crelt node_modules/style-mod node_modules/w3c-keyname; do
    [ -f "$dir/LICENSE" ] || continue
    echo
    echo "=== $(node -p "require('./$dir/package.json').name") $(node -p "require('./$dir/package.json').version")"
    echo
    cat "$dir/LICENSE"
  done
} > "$out/LICENSE"
echo "Built $out/sparql-editor.js ($(wc -c < "$out/sparql-editor.js") bytes)"
