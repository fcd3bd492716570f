-- Argo CD health check for stratus.dev/NetworkSegment.
-- A NetworkSegment is a record (one VLAN on one bridge, held by one tenant
-- Network) with no status and no controller of its own: it is healthy as
-- long as it exists. Uses only Lua 5.1 base functions.
-- Keep in sync with deploy/argocd/argocd-cm.yaml (test/deploy/argocd-health.test.ts checks).
local hs = {}
hs.status = "Healthy"
local spec = obj.spec
if spec ~= nil and spec.vlan ~= nil and spec.bridge ~= nil and spec.network ~= nil then
  hs.message = "VLAN " .. spec.vlan .. " on " .. spec.bridge .. " for Network " .. spec.network.namespace .. "/" .. spec.network.name
else
  hs.message = "Segment record"
end
return hs
