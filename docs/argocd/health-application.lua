-- Argo CD health of a Baton Application (baton.dev/v1alpha1).
-- Baton writes kstatus-style status: observedGeneration and the conditions Ready, Progressing and
-- Degraded, each with a reason and a message. Written for Lua 5.1 (Argo CD runs gopher-lua) with
-- nothing beyond the base functions, and tested with lua5.1 and lua5.4 (ArgoCdHealthTest).
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
if status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Baton to observe the Application"
  return hs
end

-- A status about an older spec says nothing about the current one: wait until Baton has seen it.
local generation = obj.metadata.generation
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for Baton to observe generation " .. tostring(generation)
  return hs
end

local ready = condition(status, "Ready")
local progressing = condition(status, "Progressing")
local degraded = condition(status, "Degraded")

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = messageOf(degraded, "Degraded")
  return hs
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = messageOf(ready, "Ready")
  return hs
end
-- A release held at a pause waits for a person (or its timed pause): Argo CD shows that as Suspended.
if status.phase == "Paused" then
  hs.status = "Suspended"
  hs.message = messageOf(progressing, "Release paused: promote its Canary to go on")
  return hs
end
-- Not ready and not progressing either: Baton refuses to act (InvalidSpec, Conflict) until the spec
-- or the cluster changes; Ready's message says what is wrong.
if progressing ~= nil and progressing.status == "False" then
  hs.status = "Degraded"
  hs.message = messageOf(ready, messageOf(progressing, "Not ready and not progressing"))
  return hs
end
hs.status = "Progressing"
hs.message = messageOf(progressing, messageOf(ready, "Waiting for the Application to become ready"))
return hs
