#!/usr/bin/env bash
# Regenerates go.mod's replace block for a Kubernetes release.
#
# k8s.io/kubernetes points its staging modules (k8s.io/api, k8s.io/apiserver, …)
# at ./staging with local replace directives, which Go ignores when the module is
# a dependency. Each staging module is published as k8s.io/<name> v0.<minor>.<patch>,
# so this script reads the release's own go.mod from the module proxy and pins every
# staging module to the matching tag.
set -euo pipefail
cd "$(dirname "$0")"
k8s_version="${1:?usage: gen-replaces.sh v1.36.3}"
staging_version="v0.${k8s_version#v1.}"
proxy="${GOPROXY:-https://proxy.golang.org}"
proxy="${proxy%%,*}"

modfile=$(curl -fsSL "$proxy/k8s.io/kubernetes/@v/$k8s_version.mod")
staging=$(printf '%s\n' "$modfile" | awk '$2 == "=>" && $3 ~ /^\.\/staging\// { print $1 }')
[ -n "$staging" ] || { echo "no staging replaces found in k8s.io/kubernetes $k8s_version go.mod" >&2; exit 1; }

# Drop the old generated block, then append a fresh one.
go mod edit -json | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    print(r["Old"]["Path"])
' | while read -r old; do go mod edit -dropreplace="$old"; done
for m in $staging; do
  go mod edit -replace="$m=$m@$staging_version"
done
go mod edit -require="k8s.io/kubernetes@$k8s_version"
echo "pinned $(printf '%s\n' "$staging" | wc -l) staging modules to $staging_version"
