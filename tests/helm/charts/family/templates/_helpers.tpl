{{- define "family.name" -}}family{{- end -}}
