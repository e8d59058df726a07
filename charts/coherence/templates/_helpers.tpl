{{/* Names and labels shared by every object of the chart. */}}
{{- define "coherence.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "coherence.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "coherence.labels" -}}
{{ include "coherence.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "coherence.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "coherence.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The settings the chart refuses: a wrong value here would start a server that is not what the operator meant. */}}
{{- define "coherence.validate" -}}
{{- if not .Values.jwt.issuer -}}
{{- fail "jwt.issuer is required: the server refuses to start without JWT_ISSUER" -}}
{{- end -}}
{{- if and (not .Values.jwt.jwksUrl) (not .Values.jwt.publicKeySecret.name) -}}
{{- fail "set jwt.jwksUrl or jwt.publicKeySecret.name: without a key no token verifies" -}}
{{- end -}}
{{- if not (has .Values.persistedQueries.mode (list "strict" "dev")) -}}
{{- fail "persistedQueries.mode must be strict or dev" -}}
{{- end -}}
{{- if and (eq .Values.persistedQueries.mode "dev") (not .Values.persistedQueries.allowDevMode) -}}
{{- fail "persistedQueries.mode=dev runs any document: set persistedQueries.allowDevMode=true for a triage window" -}}
{{- end -}}
{{- if not (has .Values.opa.mode (list "embedded" "url" "sidecar")) -}}
{{- fail "opa.mode must be embedded, url or sidecar" -}}
{{- end -}}
{{- if and (eq .Values.opa.mode "url") (not .Values.opa.url) -}}
{{- fail "opa.mode=url needs opa.url" -}}
{{- end -}}
{{- if and (eq .Values.opa.mode "sidecar") (not .Values.opa.sidecar.policyConfigMap) -}}
{{- fail "opa.mode=sidecar needs opa.sidecar.policyConfigMap (the Rego of opa/)" -}}
{{- end -}}
{{- if and .Values.kafka.enabled (not .Values.kafka.bootstrapServers) -}}
{{- fail "kafka.enabled needs kafka.bootstrapServers" -}}
{{- end -}}
{{- if and .Values.otel.enabled (not .Values.otel.endpoint) -}}
{{- fail "otel.enabled needs otel.endpoint" -}}
{{- end -}}
{{- range $name, $value := .Values.env -}}
{{- if regexMatch "(?i)(PASSWORD|SECRET|PRIVATE|TOKEN$|_KEY$)" $name -}}
{{- fail (printf "env.%s looks like a secret: values files hold no secret values, use the chart's Secret references" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
