-- Argo CD action "retry" on a Baton Canary: start an aborted or rolled-back release again from its first step.
-- Sets the annotation Baton reads (as `kubectl annotate canary <name> baton.dev/action=retry` would);
-- Baton takes the action, removes the annotation and records it in status.lastAction.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["baton.dev/action"] = "retry"
return obj
