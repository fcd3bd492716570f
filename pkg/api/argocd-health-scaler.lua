-- What the Scaler's health script adds to the kstatus one (pkg/api/argocd-health.lua):
-- NOTES is spliced into the header, CHECKS after the Stalled check.
-- NOTES
-- On top of that, a Scaler whose metrics cannot be read (ScalingActive False
-- with a FailedGet*Metric reason, as the HPA reports it) is Degraded even
-- while Ready, since it is scaling blind (or on its fallback) — unless it
-- is still Reconciling (its instances warming up: no metrics yet is normal).
-- CHECKS

-- The HPA's reasons for a metric it could not read, plus Stratus's Prometheus source.
local failedMetric = {
  FailedGetResourceMetric = true,
  FailedGetContainerResourceMetric = true,
  FailedGetPodsMetric = true,
  FailedGetObjectMetric = true,
  FailedGetExternalMetric = true,
  FailedGetPrometheusMetric = true,
}

local warming = condition(status.conditions, "Reconciling")
local active = condition(status.conditions, "ScalingActive")
if active ~= nil and active.status == "False" and active.reason ~= nil and failedMetric[active.reason] and (warming == nil or warming.status ~= "True") then
  hs.status = "Degraded"
  hs.message = describe(active, active.reason)
  return hs
end
