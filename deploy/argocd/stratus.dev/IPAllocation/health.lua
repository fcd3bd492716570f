-- Argo CD health check for stratus.dev/IPAllocation.
-- An IPAllocation is a record (one address held by one VirtualMachine
-- interface) with no status and no controller of its own: it is healthy
-- as long as it exists. Uses only Lua 5.1 base functions.
-- Keep in sync with deploy/argocd/argocd-cm.yaml (test/deploy/argocd-health.test.ts checks).
local hs = {}
hs.status = "Healthy"
local spec = obj.spec
if spec ~= nil and spec.address ~= nil and spec.network ~= nil then
  hs.message = "Holds " .. spec.address .. " on Network " .. spec.network
else
  hs.message = "Address record"
end
return hs
