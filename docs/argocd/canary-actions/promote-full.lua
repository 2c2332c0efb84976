-- Argo CD action "promote-full" on a Baton Canary: skip every remaining step: the new version goes to 100%.
-- Sets the annotation Baton reads (as `kubectl annotate canary <name> baton.dev/action=promote-full` would);
-- Baton takes the action, removes the annotation and records it in status.lastAction.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["baton.dev/action"] = "promote-full"
return obj
