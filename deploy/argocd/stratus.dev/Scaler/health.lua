-- Argo CD health check for stratus.dev/Scaler.
-- Stratus reports kstatus conditions: Ready summarises, Reconciling and
-- Stalled exist only while true, status.observedGeneration names the spec the
-- status describes. Uses only Lua 5.1 base and table functions: Argo CD runs
-- argocd-cm scripts without the string library.
-- On top of that, a Scaler whose metrics cannot be read (ScalingActive False
-- with a FailedGet*Metric reason, as the HPA reports it) is Degraded even
-- while Ready, since it is scaling blind (or on its fallback).
-- Keep in sync with deploy/argocd/argocd-cm.yaml (test/deploy/argocd-health.test.ts checks).
local hs = {}

-- The HPA's reasons for a metric it could not read, plus Stratus's Prometheus source.
local failedMetric = {
  FailedGetResourceMetric = true,
  FailedGetContainerResourceMetric = true,
  FailedGetPodsMetric = true,
  FailedGetObjectMetric = true,
  FailedGetExternalMetric = true,
  FailedGetPrometheusMetric = true,
}

local function condition(conditions, kind)
  for _, c in ipairs(conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function describe(c, fallback)
  if c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c.reason ~= nil and c.reason ~= "" then
    return c.reason
  end
  return fallback
end

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to report status"
  return hs
end

local generation = obj.metadata.generation
local observed = status.observedGeneration
if generation ~= nil and observed ~= nil and generation > observed then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to observe generation " .. tostring(generation) .. " (status is for " .. tostring(observed) .. ")"
  return hs
end

local stalled = condition(status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled, "Stalled")
  return hs
end

local active = condition(status.conditions, "ScalingActive")
if active ~= nil and active.status == "False" and active.reason ~= nil and failedMetric[active.reason] then
  hs.status = "Degraded"
  hs.message = describe(active, active.reason)
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = describe(ready, "Ready")
  return hs
end

local reconciling = condition(status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling, "Reconciling")
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = describe(ready, "Not ready")
else
  hs.message = "Waiting for the Ready condition"
end
return hs
