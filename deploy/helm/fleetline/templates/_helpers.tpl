{{/* Chart name, truncated to the 63 characters Kubernetes allows. */}}
{{- define "fleetline.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name; component names are built on it, so it leaves room for a suffix. */}}
{{- define "fleetline.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
The four services: values key -> Kubernetes component name, image name (the Maven module) and
the ports each one listens on. Every per-service template ranges over this.
*/}}
{{- define "fleetline.components" -}}
fleetApi:
  name: fleet-api
  image: fleet-api
ingest:
  name: ingest
  image: ingest-service
routing:
  name: routing
  image: routing-service
analytics:
  name: analytics
  image: analytics-service
{{- end }}

{{- define "fleetline.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "fleetline.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: fleetline
{{- end }}

{{/* Selector labels of one component; call with (dict "root" $ "component" "fleet-api"). */}}
{{- define "fleetline.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetline.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "fleetline.componentLabels" -}}
{{ include "fleetline.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "fleetline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fleetline.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference of one service image; call with (dict "root" $ "image" "fleet-api"). */}}
{{- define "fleetline.image" -}}
{{- $img := .root.Values.image }}
{{- $repo := printf "%s/%s" $img.repository .image }}
{{- if $img.registry }}{{ $repo = printf "%s/%s" $img.registry $repo }}{{ end }}
{{- if $img.digest }}
{{- printf "%s@%s" $repo $img.digest }}
{{- else }}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) }}
{{- end }}
{{- end }}

{{/* The issuer of fleet-api's tokens: explicit, else the Ingress host, else the Service URL. */}}
{{- define "fleetline.issuer" -}}
{{- if .Values.fleetApi.issuer }}
{{- .Values.fleetApi.issuer }}
{{- else if .Values.ingress.enabled }}
{{- printf "%s://%s" (ternary "https" "http" (gt (len .Values.ingress.tls) 0)) .Values.ingress.apiHost }}
{{- else }}
{{- printf "http://%s-fleet-api.%s.svc:%v" (include "fleetline.fullname" .) .Release.Namespace .Values.fleetApi.port }}
{{- end }}
{{- end }}

{{/* Kafka client settings shared by every service: the brokers by the services' own variable, TLS
and SASL as Spring Boot's spring.kafka.* by env var. */}}
{{- define "fleetline.kafkaEnv" -}}
{{- $k := .Values.kafka }}
- name: FLEETLINE_KAFKA_BOOTSTRAP
  value: {{ $k.bootstrapServers | quote }}
{{- /* Every service creates its own topics with these; the defaults stand in for releases whose
values predate them (helm upgrade --reuse-values). */}}
{{- $minInSync := $k.topics.minInSyncReplicas | default 0 | int }}
{{- if gt $minInSync (int $k.topics.replicationFactor) }}
{{- fail "kafka.topics.minInSyncReplicas exceeds kafka.topics.replicationFactor: no write could ever be acknowledged" }}
{{- end }}
- name: FLEETLINE_KAFKA_TOPICS_REPLICATION_FACTOR
  value: {{ $k.topics.replicationFactor | quote }}
- name: FLEETLINE_KAFKA_TOPICS_MIN_INSYNC_REPLICAS
  value: {{ $minInSync | quote }}
- name: SPRING_KAFKA_SECURITY_PROTOCOL
  value: {{ $k.securityProtocol | quote }}
{{- if has $k.securityProtocol (list "SSL" "SASL_SSL") }}
{{- if $k.tls.caSecret }}
- name: SPRING_KAFKA_SSL_TRUST_STORE_TYPE
  value: PEM
- name: SPRING_KAFKA_SSL_TRUST_STORE_LOCATION
  value: file:/etc/fleetline/kafka-ca/{{ $k.tls.caKey }}
{{- end }}
{{- end }}
{{- if hasPrefix "SASL_" $k.securityProtocol }}
- name: FLEETLINE_KAFKA_SASL_USERNAME
  value: {{ $k.sasl.username | quote }}
- name: FLEETLINE_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "kafka.sasl.existingSecret is required with a SASL_* securityProtocol" $k.sasl.existingSecret }}
      key: {{ $k.sasl.passwordKey }}
- name: SPRING_KAFKA_PROPERTIES_SASL_MECHANISM
  value: {{ $k.sasl.mechanism | quote }}
# Kubernetes expands $(VAR) from the variables above, so the password stays in its Secret.
- name: SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(FLEETLINE_KAFKA_SASL_USERNAME)\" password=\"$(FLEETLINE_KAFKA_SASL_PASSWORD)\";" (ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq $k.sasl.mechanism "PLAIN")) | quote }}
{{- end }}
{{- end }}

{{/* The database connection of routing-service and fleet-api; credentials only by reference. */}}
{{- define "fleetline.databaseEnv" -}}
- name: FLEETLINE_DB_URL
  value: {{ .Values.postgresql.url | quote }}
- name: FLEETLINE_DB_USER
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.existingSecret }}
      key: {{ .Values.postgresql.usernameKey }}
- name: FLEETLINE_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.postgresql.existingSecret }}
      key: {{ .Values.postgresql.passwordKey }}
{{- if .Values.migration.enabled }}
# The pre-install/pre-upgrade hook Job has migrated the schema already.
- name: SPRING_FLYWAY_ENABLED
  value: "false"
{{- end }}
{{- end }}

{{- define "fleetline.serviceEnv.fleetApi" -}}
{{ include "fleetline.databaseEnv" . }}
- name: SERVER_PORT
  value: {{ .Values.fleetApi.port | quote }}
- name: FLEETLINE_AUTH_ISSUER
  value: {{ include "fleetline.issuer" . | quote }}
- name: FLEETLINE_AUTH_SIGNING_KEY
  value: file:/etc/fleetline/jwt/{{ .Values.fleetApi.signingKey.key }}
- name: FLEETLINE_ADMIN_CLIENT_ID
  value: {{ .Values.fleetApi.adminClient.id | quote }}
- name: FLEETLINE_ADMIN_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.fleetApi.adminClient.existingSecret }}
      key: {{ .Values.fleetApi.adminClient.key }}
- name: FLEETLINE_API_DEVICESTOPIC
  value: {{ .Values.kafka.topics.devices | quote }}
{{- /* Defaults here too: `helm upgrade --reuse-values` keeps the values of the release it
upgrades, which may predate these keys. hasKey, because default would turn false into true. */}}
- name: FLEETLINE_AUTH_AUDIENCE
  value: {{ .Values.fleetApi.audience | default "fleetline-api" | quote }}
- name: SPRINGDOC_SWAGGERUI_ENABLED
  value: {{ ternary .Values.fleetApi.swaggerUi true (hasKey .Values.fleetApi "swaggerUi") | quote }}
{{- if .Values.ingress.enabled }}
{{- /* Behind the Ingress every request arrives from its controller: the client's address comes
from X-Forwarded-For, trusted from private addresses only, so that the token endpoint's limits
per address see clients rather than one shared controller address. */}}
- name: SERVER_FORWARDHEADERSSTRATEGY
  value: native
{{- end }}
{{- end }}

{{- define "fleetline.serviceEnv.ingest" -}}
{{- $t := .Values.kafka.topics }}
- name: SERVER_PORT
  value: {{ .Values.ingest.port | quote }}
- name: FLEETLINE_INGEST_OSMAND_PORT
  value: {{ .Values.ingest.osmandPort | quote }}
- name: FLEETLINE_INGEST_TELTONIKA_PORT
  value: {{ .Values.ingest.teltonikaPort | quote }}
- name: FLEETLINE_INGEST_COAP_PORT
  value: {{ .Values.ingest.coapPort | quote }}
- name: FLEETLINE_INGEST_COAP_DTLS_ENABLED
  value: {{ .Values.ingest.coapDtlsEnabled | default false | quote }}
- name: FLEETLINE_INGEST_COAP_DTLS_PORT
  value: {{ .Values.ingest.coapDtlsPort | quote }}
- name: FLEETLINE_INGEST_TOPICS_PINGS
  value: {{ $t.pings | quote }}
- name: FLEETLINE_INGEST_TOPICS_REJECTED
  value: {{ $t.rejected | quote }}
- name: FLEETLINE_INGEST_TOPICS_DEVICES
  value: {{ $t.devices | quote }}
- name: FLEETLINE_INGEST_TOPICS_PINGPARTITIONS
  value: {{ $t.pingPartitions | quote }}
{{- with .Values.ingest.mqtt }}
{{- if .url }}
- name: FLEETLINE_INGEST_MQTT_URL
  value: {{ .url | quote }}
{{- if .username }}
- name: FLEETLINE_INGEST_MQTT_USERNAME
  value: {{ .username | quote }}
{{- end }}
{{- if .existingSecret }}
- name: FLEETLINE_INGEST_MQTT_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .existingSecret }}
      key: {{ .passwordKey }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "fleetline.serviceEnv.routing" -}}
{{ include "fleetline.databaseEnv" . }}
- name: SERVER_PORT
  value: {{ .Values.routing.port | quote }}
- name: FLEETLINE_ROUTING_PINGSTOPIC
  value: {{ .Values.kafka.topics.pings | quote }}
- name: FLEETLINE_ROUTING_CONSUMERGROUP
  value: {{ .Values.routing.consumerGroup | quote }}
- name: FLEETLINE_ROUTING_CONCURRENCY
  value: {{ .Values.routing.concurrency | quote }}
{{- end }}

{{- define "fleetline.serviceEnv.analytics" -}}
{{ include "fleetline.databaseEnv" . }}
- name: SERVER_PORT
  value: {{ .Values.analytics.port | quote }}
- name: FLEETLINE_ANALYTICS_PINGS_TOPIC
  value: {{ .Values.kafka.topics.pings | quote }}
- name: FLEETLINE_ANALYTICS_APPLICATION_ID
  value: {{ .Values.analytics.applicationId | quote }}
- name: FLEETLINE_ANALYTICS_STATE_DIR
  value: /var/lib/fleetline-analytics
- name: FLEETLINE_ANALYTICS_STREAM_THREADS
  value: {{ .Values.analytics.streamThreads | quote }}
- name: FLEETLINE_ANALYTICS_STANDBY_REPLICAS
  value: {{ .Values.analytics.standbyReplicas | quote }}
- name: FLEETLINE_ANALYTICS_REPLICATION_FACTOR
  value: {{ .Values.kafka.topics.replicationFactor | quote }}
- name: FLEETLINE_ANALYTICS_FINDINGS_PARTITIONS
  value: {{ .Values.kafka.topics.pingPartitions | quote }}
{{- end }}

{{/*
"true" when a service's values run it on more than one pod: several replicas, or an autoscaler
(whose minimum may be 1 but which adds pods under load).
*/}}
{{- define "fleetline.scaledOut" -}}
{{- if or .autoscaling.enabled (gt (int .replicaCount) 1) }}true{{ end }}
{{- end }}

{{/*
The pod affinity of a service, given (dict "root" $ "values" <service values> "selector"
<selector labels>): the service's own affinity, plus, when it runs on several pods and sets no pod
anti-affinity of its own, podAntiAffinity.type's rule against its own pods on one topologyKey.
*/}}
{{- define "fleetline.affinity" -}}
{{- $affinity := deepCopy (.values.affinity | default dict) }}
{{- $anti := .root.Values.podAntiAffinity | default dict }}
{{- $type := $anti.type | default "" }}
{{- if and $type (include "fleetline.scaledOut" .values) (not (hasKey $affinity "podAntiAffinity")) }}
{{- $term := dict "topologyKey" ($anti.topologyKey | default "kubernetes.io/hostname") "labelSelector" (dict "matchLabels" (.selector | fromYaml)) }}
{{- if eq $type "required" }}
{{- $_ := set $affinity "podAntiAffinity" (dict "requiredDuringSchedulingIgnoredDuringExecution" (list $term)) }}
{{- else }}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" (list (dict "weight" ($anti.weight | default 100 | int) "podAffinityTerm" $term))) }}
{{- end }}
{{- end }}
{{- if $affinity }}
{{- toYaml $affinity }}
{{- end }}
{{- end }}

{{/* Extra container ports of a component (the device protocols of ingest). */}}
{{- define "fleetline.extraPorts" -}}
{{- if eq .key "ingest" }}
- name: osmand
  containerPort: {{ .root.Values.ingest.osmandPort }}
  protocol: TCP
- name: teltonika
  containerPort: {{ .root.Values.ingest.teltonikaPort }}
  protocol: TCP
- name: coap
  containerPort: {{ .root.Values.ingest.coapPort }}
  protocol: UDP
- name: coaps
  containerPort: {{ .root.Values.ingest.coapDtlsPort }}
  protocol: UDP
{{- end }}
{{- end }}

{{/*
The named container port that serves health and metrics, given a service's values: "management"
when it has a port of its own, else the public "http".
*/}}
{{- define "fleetline.managementPortName" -}}
{{- if .managementPort }}management{{ else }}http{{ end }}
{{- end }}
