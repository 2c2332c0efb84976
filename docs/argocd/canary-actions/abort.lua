-- Argo CD action "abort" on a Baton Canary: send all traffic back to the stable version and remove the new pool.
-- Sets the annotation Baton reads (as `kubectl annotate canary <name> baton.dev/action=abort` would);
-- Baton takes the action, removes the annotation and records it in status.lastAction.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["baton.dev/action"] = "abort"
return obj
