-- Argo CD action "promote" on a Baton Canary: end the current pause or analysis step and go on with the next.
-- Sets the annotation Baton reads (as `kubectl annotate canary <name> baton.dev/action=promote` would);
-- Baton takes the action, removes the annotation and records it in status.lastAction.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["baton.dev/action"] = "promote"
return obj
