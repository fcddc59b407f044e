# The web page's typed API client (README, "Web demo"). Source it after
# common.sh, from the repository root; do not run it.

# vendor_openapi_fetch: copies openapi-fetch, the client's runtime, from
# web-demo/node_modules (the version package-lock.json pins) into
# web-demo/www/assets/vendor/ (gitignored, built into the binary like pkg/).
#
# openapi-fetch has no runtime imports (its one dependency,
# openapi-typescript-helpers, is types only), so its ESM file runs as is in
# the browser (checked below, in case a new version adds one); its .d.mts
# beside it gives tsc the types of that import (the server never serves
# .mts). Written only when different, so that the binary's build script
# sees no change when there is none. The source map comment goes: the map
# is not copied.
vendor_openapi_fetch() {
  local vendor=web-demo/www/assets/vendor fetch_pkg=web-demo/node_modules/openapi-fetch
  mkdir -p "$vendor"
  _vendor_file "$vendor/openapi-fetch.mjs" < <(sed '/^\/\/# sourceMappingURL=/d' "$fetch_pkg/dist/index.mjs")
  _vendor_file "$vendor/openapi-fetch.d.mts" <"$fetch_pkg/dist/index.d.mts"
  _vendor_file "$vendor/openapi-fetch.LICENSE.txt" <"$fetch_pkg/LICENSE"
  if grep -qE '^\s*import\b|\bimport\(|^\s*export\b.*\bfrom\b|\brequire\(' "$vendor/openapi-fetch.mjs"; then
    echo "$vendor/openapi-fetch.mjs imports other modules: the page cannot load it as is" >&2
    return 1
  fi
}

# _vendor_file PATH < CONTENT: replaces PATH unless it holds CONTENT already
# (through a hidden temporary file, which build.rs and the server skip).
_vendor_file() {
  local tmp
  tmp=$(mktemp "$(dirname "$1")/.new.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then
    rm -f "$tmp"
  else
    chmod 644 "$tmp"
    mv "$tmp" "$1"
  fi
}
