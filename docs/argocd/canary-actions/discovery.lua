-- Which of Baton's Canary actions Argo CD offers: all are listed, and disabled where Baton would
-- ignore them in the Canary's phase (the rules of ReleasePlanner.applyUserAction; docs/releases.md).
-- Lua 5.1 (gopher-lua), no library functions: Argo CD may run action scripts without them.
local actions = {}

local phase = nil
local step = 0
if obj.status ~= nil then
  phase = obj.status.phase
  if obj.status.currentStep ~= nil then
    step = obj.status.currentStep
  end
end
local steps = {}
if obj.spec ~= nil and obj.spec.steps ~= nil then
  steps = obj.spec.steps
end

local running = phase == "Progressing" or phase == "Paused"
-- A release can be aborted until its old pool drains; a blue-green one also inside its rollback window,
-- which is part of Draining (after the window Baton ignores the abort and says so in status.lastAction).
local blueGreen = obj.spec ~= nil and obj.spec.strategy == "BlueGreen"
local abortable = running or phase == "Promoting" or (blueGreen and phase == "Draining")
-- promote ends the current pause or analysis step; a setWeight step ends by itself when its pods are ready.
local current = steps[step + 1]
local waiting = running and current ~= nil and current.setWeight == nil

actions["promote"] = {["disabled"] = not waiting}
actions["promote-full"] = {["disabled"] = not running}
actions["pause"] = {["disabled"] = phase ~= "Progressing"}
actions["resume"] = {["disabled"] = phase ~= "Paused"}
actions["abort"] = {["disabled"] = not abortable}
actions["retry"] = {["disabled"] = not (phase == "Aborted" or phase == "RolledBack")}
return actions
