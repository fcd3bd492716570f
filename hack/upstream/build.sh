#!/usr/bin/env bash
# Produces the third-party APIs the embedded plane serves, from the upstream
# modules pinned in this folder's go.mod, into a cache outside the repository:
#
#   <dest>/crds/*.yaml          one CustomResourceDefinition per file (cmd/stratus-crds)
#   <dest>/admission/*.yaml     virt-api's webhook configurations
#   <dest>/bin/stratus-admission  KubeVirt's admission webhooks (cmd/stratus-admission)
#
#   hack/upstream/build.sh [--print-dest]
#
# dest is $STRATUS_CACHE_DIR/upstream-<pin> (~/.cache/stratus/…), <pin> a hash
# of go.mod, go.sum, this script and the Go sources, so any change to a pin
# builds afresh. Everything is written to a temporary folder and moved into
# place only once complete.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

# The module proxy serves these, but its checksum database has no entry for
# them; go.sum (committed) pins their hashes all the same.
export GONOSUMDB=kubevirt.io/virt-template-api,kubevirt.io/virt-template-client-go,kubevirt.io/virt-template-engine,github.com/rhobs/operator-observability-toolkit
export CGO_ENABLED=0

pin=$(cat go.mod go.sum build.sh $(find cmd -name '*.go' | LC_ALL=C sort) | sha256sum | cut -c1-12)
cache_root="${STRATUS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/stratus}"
dest="$cache_root/upstream-$pin"
if [ "${1:-}" = --print-dest ]; then
  echo "$dest"
  exit 0
fi
if [ -x "$dest/bin/stratus-admission" ] && [ -d "$dest/crds" ] && [ -d "$dest/admission" ]; then
  echo "upstream APIs ($pin) already built in $dest"
  exit 0
fi

tmp="$dest.partial.$$"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"
start=$(date +%s)
version() { go list -m -f '{{.Version}}' "$1"; }
echo "building the upstream APIs into $dest: KubeVirt $(version kubevirt.io/kubevirt), CDI $(version kubevirt.io/containerized-data-importer)," \
  "Gateway API $(version sigs.k8s.io/gateway-api), external-snapshotter $(version github.com/kubernetes-csi/external-snapshotter/client/v8)," \
  "NetworkAttachmentDefinition $(version github.com/k8snetworkplumbingwg/network-attachment-definition-client), MultiNetworkPolicy $(version github.com/k8snetworkplumbingwg/multi-networkpolicy)"
echo "(a cold build takes about 3 minutes on 2 cores, module downloads included)"
go build -trimpath -ldflags "-s -w" -o "$tmp/bin/" ./cmd/stratus-crds ./cmd/stratus-admission

# The modules that ship YAML: their folders in the module cache.
modules=()
for m in sigs.k8s.io/gateway-api github.com/kubernetes-csi/external-snapshotter/client/v8 \
  github.com/k8snetworkplumbingwg/network-attachment-definition-client github.com/k8snetworkplumbingwg/multi-networkpolicy; do
  go mod download "$m"
  modules+=("$m=$(go list -m -f '{{.Dir}}' "$m")")
done
"$tmp/bin/stratus-crds" "$tmp" "${modules[@]}"
rm "$tmp/bin/stratus-crds"

mkdir -p "$(dirname "$dest")"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "built in $(( $(date +%s) - start ))s: $(ls "$dest/crds" | wc -l) CRDs in $dest"
