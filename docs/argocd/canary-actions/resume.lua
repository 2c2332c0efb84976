-- Argo CD action "resume" on a Baton Canary: go on after a pause.
-- Sets the annotation Baton reads (as `kubectl annotate canary <name> baton.dev/action=resume` would);
-- Baton takes the action, removes the annotation and records it in status.lastAction.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["baton.dev/action"] = "resume"
return obj
