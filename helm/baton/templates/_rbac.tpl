{{/*
What Baton may do to the objects it manages, and nothing more: no wildcards, no Secrets. The same
rules go into a ClusterRole (rbac.scope: cluster) or into a Role in the watched namespace
(rbac.scope: namespace). The leader-election Lease has its own Role (leader-election-rbac.yaml).
*/}}
{{- define "baton.rules" -}}
# Baton's own resources: it reads Applications and writes their status; it creates, updates and
# deletes the Canary that records each release.
- apiGroups: ["baton.dev"]
  resources: ["applications", "canaries"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["baton.dev"]
  resources: ["applications/status", "canaries/status"]
  verbs: ["get", "update", "patch"]
# One Deployment per live version (<app>-<version>), scaled down and deleted when drained.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# The stable Service <app> and the router's extra Services (e.g. <app>-canary).
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Pods are never created or deleted by Baton: it patches labels (out of the Service before a drain),
# annotations (the annotation drain signal) and controller.kubernetes.io/pod-deletion-cost.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "patch"]
# An Event for every step of a release (both Event APIs: clients write either).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
# A PodDisruptionBudget per pool of two or more pods.
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
{{- if .Values.gatewayAPI.enabled }}
# Gateway API router: Baton reads the HTTPRoute an Application names and JSON-patches only its own
# backendRefs in it; it never creates, replaces or deletes a user's route, and keeps no watch on them.
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "patch"]
{{- end }}
{{- if .Values.drain.execSignal.enabled }}
# Exec drain signal (opt-in: exec runs any command in any pod this role reaches). The client opens
# exec over WebSocket, an HTTP GET: Kubernetes before 1.35 authorises it as `get`, 1.35 and later
# check `create` as well (KEP-4006), so both verbs are needed for it to work on every version.
- apiGroups: [""]
  resources: ["pods/exec"]
  verbs: ["get", "create"]
{{- end }}
{{- end }}
