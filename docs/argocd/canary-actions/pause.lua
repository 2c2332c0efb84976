-- Argo CD action "pause" on a Baton Canary: hold the release at its current step.
-- Sets the annotation Baton reads (as `kubectl annotate canary <name> baton.dev/action=pause` would);
-- Baton takes the action, removes the annotation and records it in status.lastAction.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["baton.dev/action"] = "pause"
return obj
