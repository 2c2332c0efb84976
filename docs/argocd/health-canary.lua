-- Argo CD health of a Baton Canary (baton.dev/v1alpha1): one release of an Application.
-- Its status has a phase (Progressing, Paused, Promoting, Draining, Succeeded, Aborted, RolledBack,
-- Failed) and kstatus conditions derived from it. Lua 5.1 (gopher-lua), base functions only.
local hs = {}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function messageOf(c, otherwise)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return otherwise
end

local status = obj.status
if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Baton to start the release"
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Baton to observe generation " .. tostring(generation)
  return hs
end

local phase = status.phase
local message = messageOf(status, phase)
local ready = condition(status, "Ready")
local degraded = condition(status, "Degraded")

-- Aborted, RolledBack and Failed set Degraded; the phase decides where the conditions are missing.
if (degraded ~= nil and degraded.status == "True") or phase == "Aborted" or phase == "RolledBack" or phase == "Failed" then
  hs.status = "Degraded"
  hs.message = phase .. ": " .. messageOf(degraded, message)
  return hs
end
if (ready ~= nil and ready.status == "True") or phase == "Succeeded" then
  hs.status = "Healthy"
  hs.message = messageOf(ready, message)
  return hs
end
-- Held until promoted or resumed: the Canary's actions (promote, resume) are the way on.
if phase == "Paused" then
  hs.status = "Suspended"
  hs.message = message
  return hs
end
hs.status = "Progressing"
hs.message = phase .. ": " .. messageOf(condition(status, "Progressing"), message)
return hs
