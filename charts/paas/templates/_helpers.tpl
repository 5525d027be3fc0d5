{{/* Names: <release>-<component>, or just the release name when it already says "paas". */}}
{{- define "paas.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "paas.name" -}}{{ include "paas.fullname" .root }}-{{ .component }}{{- end -}}

{{/* Labels: the Kubernetes recommended ones, and the component. Call with (dict "root" $ "component" "controller"). */}}
{{- define "paas.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "paas.labels" -}}
{{ include "paas.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: paas
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* An image reference. Call with (dict "root" $ "image" .Values.controller.image). */}}
{{- define "paas.image" -}}
{{- $tag := .image.tag | default .root.Values.image.tag -}}
{{- if .root.Values.image.registry -}}
{{ .root.Values.image.registry }}/{{ .image.repository }}:{{ $tag }}
{{- else -}}
{{ .image.repository }}:{{ $tag }}
{{- end -}}
{{- end -}}

{{- define "paas.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
A secret value: the one given in values, else the one the installed release already has (so upgrades keep
generated passwords), else a new random one. Call with (dict "root" $ "key" "service-token" "given" <the value set>).
*/}}
{{- define "paas.secretValue" -}}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (include "paas.name" (dict "root" .root "component" "secrets")) -}}
{{- if .given -}}
{{- .given -}}
{{- else if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum 32 -}}
{{- end -}}
{{- end -}}

{{/* The Secret every component reads its credentials from. */}}
{{- define "paas.secretName" -}}{{ include "paas.name" (dict "root" . "component" "secrets") }}{{- end -}}

{{/* In-cluster addresses, by Service name (cluster DNS). */}}
{{- define "paas.controllerInternalUrl" -}}http://{{ include "paas.name" (dict "root" . "component" "controller") }}:{{ .Values.controller.service.port }}{{- end -}}
{{- define "paas.builderInternalUrl" -}}http://{{ include "paas.name" (dict "root" . "component" "builder") }}:{{ .Values.builder.service.port }}{{- end -}}
{{- define "paas.routerInternalUrl" -}}http://{{ include "paas.name" (dict "root" . "component" "router") }}:{{ .Values.router.service.httpPort }}{{- end -}}

{{/* Where app images go: the in-cluster registry on every node's loopback, or the external one. */}}
{{- define "paas.appRegistry" -}}
{{- if .Values.registry.enabled -}}
127.0.0.1:{{ required "registry.nodePort is required: nodes pull app images from 127.0.0.1:<nodePort>" .Values.registry.nodePort }}
{{- else -}}
{{- required "registry.external.address is required when registry.enabled is false" .Values.registry.external.address -}}
{{- end -}}
{{- end -}}

{{/* The public URLs (see platform.urls in values.yaml). */}}
{{- define "paas.publicUrl" -}}
{{- $svc := .component.service -}}
{{- if .given -}}
{{- .given -}}
{{- else if .component.ingress.enabled -}}
{{- if .component.ingress.tlsSecretName }}https{{ else }}http{{ end }}://{{ .component.ingress.host }}
{{- else if and (eq $svc.type "NodePort") $svc.nodePort -}}
http://127.0.0.1:{{ $svc.nodePort }}
{{- else -}}
http://{{ .hostPrefix }}.{{ .root.Values.platform.domain }}:{{ $svc.port }}
{{- end -}}
{{- end -}}

{{- define "paas.controllerUrl" -}}
{{- include "paas.publicUrl" (dict "root" . "component" .Values.controller "given" .Values.platform.urls.controller "hostPrefix" "paas") -}}
{{- end -}}

{{- define "paas.builderUrl" -}}
{{- include "paas.publicUrl" (dict "root" . "component" .Values.builder "given" .Values.platform.urls.builder "hostPrefix" "git") -}}
{{- end -}}

{{- define "paas.routerPort" -}}
{{- if .Values.platform.urls.routerPort -}}
{{- .Values.platform.urls.routerPort -}}
{{- else if and (eq .Values.router.service.type "NodePort") .Values.router.service.nodePorts.http -}}
{{- .Values.router.service.nodePorts.http -}}
{{- else -}}
{{- .Values.router.service.httpPort -}}
{{- end -}}
{{- end -}}

{{/* A PersistentVolumeClaim's spec.storageClassName: "" = the default class (omitted), "-" = none. */}}
{{- define "paas.storageClass" -}}
{{- if eq . "-" }}
storageClassName: ""
{{- else if . }}
storageClassName: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* Waits in an init container until host:port accepts connections (the image's bash has /dev/tcp). */}}
{{- define "paas.waitFor" -}}
- name: wait-for-{{ .name }}
  image: {{ .image }}
  imagePullPolicy: {{ .root.Values.image.pullPolicy }}
  command: ["bash", "-c", "until (exec 3<>/dev/tcp/{{ .host }}/{{ .port }}) 2>/dev/null; do echo waiting for {{ .name }} at {{ .host }}:{{ .port }}; sleep 1; done"]
  securityContext:
    runAsUser: 1000
    runAsNonRoot: true
  resources:
    requests: {cpu: 10m, memory: 16Mi}
    limits: {memory: 64Mi}
{{- end -}}

{{/* env entries for the database and the bus, from the chart's Secret or the external one given. */}}
{{- define "paas.databaseEnv" -}}
- name: PAAS_DATABASE
  valueFrom:
    secretKeyRef:
      {{- if and (not .Values.postgres.enabled) .Values.postgres.external.existingSecret }}
      name: {{ .Values.postgres.external.existingSecret }}
      key: {{ .Values.postgres.external.existingSecretKey }}
      {{- else }}
      {{- if not (or .Values.postgres.enabled .Values.postgres.external.connectionString) }}
      {{- fail "postgres.enabled is false: set postgres.external.connectionString or postgres.external.existingSecret" }}
      {{- end }}
      name: {{ include "paas.secretName" . }}
      key: database-url
      {{- end }}
{{- end -}}

{{- define "paas.rabbitmqEnv" -}}
- name: PAAS_RABBITMQ
  valueFrom:
    secretKeyRef:
      {{- if and (not .Values.rabbitmq.enabled) .Values.rabbitmq.external.existingSecret }}
      name: {{ .Values.rabbitmq.external.existingSecret }}
      key: {{ .Values.rabbitmq.external.existingSecretKey }}
      {{- else }}
      {{- if not (or .Values.rabbitmq.enabled .Values.rabbitmq.external.url) }}
      {{- fail "rabbitmq.enabled is false: set rabbitmq.external.url or rabbitmq.external.existingSecret" }}
      {{- end }}
      name: {{ include "paas.secretName" . }}
      key: rabbitmq-url
      {{- end }}
{{- end -}}

{{- define "paas.serviceTokenEnv" -}}
- name: PAAS_SERVICE_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "paas.secretName" . }}
      key: service-token
{{- end -}}

{{/* Extra env entries from a map (name: value), sorted by name. */}}
{{- define "paas.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* A component's PersistentVolumeClaim, unless persistence is off or an existing claim is given. Call with (dict "root" $ "component" "postgres" "persistence" .Values.postgres.persistence). */}}
{{- define "paas.pvc" -}}
{{- if and .persistence.enabled (not .persistence.existingClaim) }}
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ include "paas.name" (dict "root" .root "component" .component) }}-data
  labels:
    {{- include "paas.labels" (dict "root" .root "component" .component) | nindent 4 }}
  {{- if .persistence.keep }}
  annotations:
    # `helm uninstall` leaves the data: delete the claim by hand when it is not wanted any more.
    helm.sh/resource-policy: keep
  {{- end }}
spec:
  accessModes: [ReadWriteOnce]
  {{- include "paas.storageClass" .persistence.storageClass | nindent 2 }}
  resources:
    requests:
      storage: {{ .persistence.size }}
---
{{- end }}
{{- end -}}

{{/* The data volume of a component: its claim, or an emptyDir without persistence. */}}
{{- define "paas.dataVolume" -}}
- name: data
  {{- if .persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ .persistence.existingClaim | default (printf "%s-data" (include "paas.name" (dict "root" .root "component" .component))) }}
  {{- else }}
  emptyDir: {}
  {{- end }}
{{- end -}}

{{/* nodeSelector, tolerations and affinity of a component's pod spec. */}}
{{- define "paas.placement" -}}
{{- with .nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* PAAS_K8S_PLATFORM: the value of the label paas/platform on everything this platform's scheduler makes. */}}
{{- define "paas.clusterName" -}}
{{- .Values.platform.clusterName | default (printf "%s-%s" .Release.Namespace .Release.Name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
