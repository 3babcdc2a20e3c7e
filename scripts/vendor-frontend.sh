#!/usr/bin/env bash
# Vendors the bpmn.io browser bundles the web pages use into
# service/web/static/vendor/, from the exact versions pinned in
# frontend/package.json + frontend/package-lock.json, and builds the process
# editor's modeler bundle (frontend/src, see docs/modeler.md) into
# service/web/static/modeler/ with esbuild.
#
#   scripts/vendor-frontend.sh
#
# Needs node >= 20 and npm, and network access to the npm registry. The pages
# themselves load only these vendored files (no CDN at run time). Run it again
# after changing a version in frontend/package.json (then `npm install` there to
# refresh the lock file) and commit the resulting vendor/ changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRONTEND="$ROOT/frontend"
VENDOR="$ROOT/service/web/static/vendor"
NM="$FRONTEND/node_modules"

cd "$FRONTEND"
# --ignore-scripts: nothing we vendor needs an install script (esbuild's
# launcher finds its platform binary without its postinstall step, and the
# @carbon/* postinstall scripts only send telemetry).
npm ci --ignore-scripts --no-audit --no-fund

ESBUILD="$NM/.bin/esbuild"

version_of() {
  node -p "require('$NM/$1/package.json').version"
}

BPMN_JS="bpmn-js@$(version_of bpmn-js)"
PANEL="bpmn-js-properties-panel@$(version_of bpmn-js-properties-panel)"
PANEL_CSS="@bpmn-io/properties-panel@$(version_of @bpmn-io/properties-panel)"
FORM_JS="@bpmn-io/form-js@$(version_of @bpmn-io/form-js)"
DMN_JS="dmn-js@$(version_of dmn-js)"
ESBUILD_V="esbuild@$("$ESBUILD" --version)"

rm -rf "$VENDOR"
mkdir -p "$VENDOR"

MANIFEST=()

# copy SRC (relative to node_modules) DEST (relative to vendor/) PKG@VERSION
copy() {
  mkdir -p "$(dirname "$VENDOR/$2")"
  cp "$NM/$1" "$VENDOR/$2"
  MANIFEST+=("$2  $3")
}

# minify SRC DEST PKG@VERSION
minify() {
  mkdir -p "$(dirname "$VENDOR/$2")"
  "$ESBUILD" "$NM/$1" --minify --log-level=warning --outfile="$VENDOR/$2"
  MANIFEST+=("$2  $3 (minified with $ESBUILD_V from dist/$(basename "$1"))")
}

# bpmn-js: prebuilt, already minified bundles. Both define the global BpmnJS,
# so a page loads one of them, never both.
copy bpmn-js/dist/bpmn-navigated-viewer.production.min.js bpmn-js/bpmn-navigated-viewer.production.min.js "$BPMN_JS"
copy bpmn-js/dist/bpmn-modeler.production.min.js          bpmn-js/bpmn-modeler.production.min.js          "$BPMN_JS"
copy bpmn-js/dist/assets/diagram-js.css                   bpmn-js/assets/diagram-js.css                   "$BPMN_JS"
copy bpmn-js/dist/assets/bpmn-js.css                      bpmn-js/assets/bpmn-js.css                      "$BPMN_JS"
# The icon font is inlined (woff + ttf data: URLs). The CSS also names
# ../font/bpmn.eot and ../font/bpmn.svg, but only with legacy-only formats that
# current browsers never fetch, so those files are not vendored.
copy bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css  bpmn-js/assets/bpmn-font/css/bpmn-embedded.css  "$BPMN_JS"
copy bpmn-js/LICENSE                                      bpmn-js/LICENSE                                 "$BPMN_JS"

# Properties panel for the modeler (UMD, global BpmnJSPropertiesPanel; it
# bundles its own preact). The CSS comes from @bpmn-io/properties-panel.
minify bpmn-js-properties-panel/dist/bpmn-js-properties-panel.umd.js bpmn-js-properties-panel/bpmn-js-properties-panel.min.js "$PANEL"
copy bpmn-js-properties-panel/LICENSE                     bpmn-js-properties-panel/LICENSE                "$PANEL"
copy @bpmn-io/properties-panel/dist/assets/properties-panel.css properties-panel/properties-panel.css     "$PANEL_CSS"
copy @bpmn-io/properties-panel/LICENSE                    properties-panel/LICENSE                        "$PANEL_CSS"

# form-js: UMD viewer (global FormViewer) and editor (global FormEditor).
# form-js.css already contains the flatpickr date picker styles;
# form-js-editor.css already contains the draggle and properties-panel styles
# the editor needs, so no further CSS files are required.
minify @bpmn-io/form-js/dist/form-viewer.umd.js           form-js/form-viewer.min.js                      "$FORM_JS"
minify @bpmn-io/form-js/dist/form-editor.umd.js           form-js/form-editor.min.js                      "$FORM_JS"
copy @bpmn-io/form-js/dist/assets/form-js.css             form-js/form-js.css                             "$FORM_JS"
copy @bpmn-io/form-js/dist/assets/form-js-editor.css      form-js/form-js-editor.css                      "$FORM_JS"
copy @bpmn-io/form-js/LICENSE                             form-js/LICENSE                                 "$FORM_JS"

# dmn-js: prebuilt modeler (global DmnJS) for the decision table editor; the
# modeler bundle's createDecisionEditor uses it. Font CSS as for bpmn-js.
copy dmn-js/dist/dmn-modeler.production.min.js            dmn-js/dmn-modeler.production.min.js            "$DMN_JS"
for css in diagram-js dmn-js-shared dmn-js-drd dmn-js-decision-table dmn-js-decision-table-controls \
           dmn-js-literal-expression dmn-js-boxed-expression dmn-js-boxed-expression-controls; do
  copy "dmn-js/dist/assets/$css.css"                      "dmn-js/assets/$css.css"                        "$DMN_JS"
done
copy dmn-js/dist/assets/dmn-font/css/dmn-embedded.css     dmn-js/assets/dmn-font/css/dmn-embedded.css     "$DMN_JS"
copy dmn-js/LICENSE                                       dmn-js/LICENSE                                  "$DMN_JS"

{
  echo "Vendored front-end files: generated by scripts/vendor-frontend.sh from"
  echo "frontend/package.json + frontend/package-lock.json. Do not edit by hand."
  echo
  echo "License: bpmn-js, dmn-js and @bpmn-io/form-js are MIT plus a clause (see their"
  echo "LICENSE files here): the bpmn.io watermark that the libraries render must"
  echo "not be removed or changed and must stay fully visible, not overlapped by"
  echo "other page elements. bpmn-js-properties-panel and @bpmn-io/properties-panel"
  echo "are MIT."
  echo
  echo "file  package@version"
  printf '%s\n' "${MANIFEST[@]}"
} > "$VENDOR/VERSIONS.txt"

echo "vendored into ${VENDOR#"$ROOT"/}:"
(cd "$VENDOR" && find . -type f | sort | xargs du -b | sed 's#\./##')
echo "total: $(du -sb "$VENDOR" | cut -f1) bytes"

# The process editor's modeler bundle (global GuichengModeler) and its CSS.
MODELER="$ROOT/service/web/static/modeler"
rm -rf "$MODELER"
node "$FRONTEND/build.mjs"
echo "built into ${MODELER#"$ROOT"/} with $ESBUILD_V:"
for f in "$MODELER"/*; do
  echo "$(basename "$f")  $(wc -c < "$f") bytes, $(gzip -9n < "$f" | wc -c) gzipped"
done
