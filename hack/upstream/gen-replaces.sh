#!/usr/bin/env bash
# Restates kubevirt.io/kubevirt's replace directives in this module's go.mod.
#
# Go ignores a dependency's replaces, but KubeVirt only builds with them: it
# pins every k8s.io module and a few others (openshift/api, …) to versions
# older than their requirements say, and points kubevirt.io/api and
# kubevirt.io/client-go at ./staging, published as the same tag. This script
# reads the release's go.mod from the module proxy and copies the pins.
set -euo pipefail
cd "$(dirname "$0")"
kubevirt_version="${1:?usage: gen-replaces.sh v1.9.0}"
proxy="${GOPROXY:-https://proxy.golang.org}"
proxy="${proxy%%,*}"

modfile=$(curl -fsSL "$proxy/kubevirt.io/kubevirt/@v/$kubevirt_version.mod")
pins=$(printf '%s\n' "$modfile" | awk '
  /^replace \(/ { inblock = 1; next }
  inblock && /^\)/ { inblock = 0 }
  inblock && $2 == "=>" { print $1, $3, $4 }
  /^replace [^(]/ && $3 == "=>" { print $2, $4, $5 }')
[ -n "$pins" ] || { echo "no replaces found in kubevirt.io/kubevirt $kubevirt_version go.mod" >&2; exit 1; }

go mod edit -json | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    print(r["Old"]["Path"])
' | while read -r old; do go mod edit -dropreplace="$old"; done
printf '%s\n' "$pins" | while read -r old new version; do
  case "$new" in
    ./staging/*) go mod edit -replace="$old=$old@$kubevirt_version" ;;   # published under the release's tag
    *) go mod edit -replace="$old=$new@$version" ;;
  esac
done
go mod edit -require="kubevirt.io/kubevirt@$kubevirt_version"
echo "restated $(printf '%s\n' "$pins" | wc -l) replaces of kubevirt.io/kubevirt $kubevirt_version"
