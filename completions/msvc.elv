
use builtin;
use str;

set edit:completion:arg-completer[msvc] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'msvc'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'msvc'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand render 'Render ModelServices (and their BaseConfigs) into Kubernetes objects'
            cand template 'Render llm-d-modelservice Helm chart values, as `helm template` does'
            cand presets 'List or show the built-in BaseConfig presets'
            cand krm 'Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout'
            cand kustomize-plugin 'Install msvc as kustomize''s generator plugin for ModelServices'
            cand explain 'Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule'
            cand lint 'Check ModelServices: everything render rejects, plus a reviewer''s warnings'
            cand schema 'Print the JSON Schema of the ModelService or the BaseConfig, for editors'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'msvc;render'= {
            cand -f 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)'
            cand --filename 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)'
            cand -b 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig'
            cand --baseconfig 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig'
            cand --preset 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier'
            cand -n 'Namespace of every rendered object (default: the ModelService''s, else `default`)'
            cand --namespace 'Namespace of every rendered object (default: the ModelService''s, else `default`)'
            cand --default-namespace 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)'
            cand --epp-cluster-role 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits'
            cand --pd-pull-secrets 'imagePullSecrets for the prefill/decode ServiceAccount'
            cand --epp-pull-secrets 'imagePullSecrets for the endpoint picker''s ServiceAccount'
            cand --gie-api 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller''s, with InferenceModel)'
            cand -m 'A ModelService file (the old controller''s `generate -m`)'
            cand --modelservice 'A ModelService file (the old controller''s `generate -m`)'
            cand --applyset 'Label objects as members of this kubectl ApplySet ([KIND/]NAME, as `kubectl apply --prune --applyset` takes it; in --namespace, else --default-namespace, else `default`)'
            cand -o 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)'
            cand --output-dir 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)'
            cand --diff 'Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different'
            cand -j 'Render on N threads (default: one per CPU); the output is the same for any N'
            cand --jobs 'Render on N threads (default: one per CPU); the output is the same for any N'
            cand --check 'Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR'
            cand --strict 'Treat warnings (e.g. BaseConfig fields outside the object''s schema) as errors'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;template'= {
            cand -f 'A values file of the llm-d-modelservice chart (- for stdin); repeat to layer, later over earlier'
            cand --values 'A values file of the llm-d-modelservice chart (- for stdin); repeat to layer, later over earlier'
            cand --set 'Set a value in Helm''s syntax (a.b=c, a[0].b=c, a={x,y}); repeat, later over earlier'
            cand -n 'The release namespace (`.Release.Namespace`, default `default`)'
            cand --namespace 'The release namespace (`.Release.Namespace`, default `default`)'
            cand --version 'The chart version to render, as in `helm template --version` (exact, or a range such as ^0.4); checked against the chart''s'
            cand --set-string 'With CHART: set a value as a string (no typing); repeat'
            cand --set-json 'With CHART: set a value to JSON (a.b={"x":1}); repeat'
            cand --set-file 'With CHART: set a value to a file''s text; repeat'
            cand --set-literal 'With CHART: set a value to the literal text after `=`; repeat'
            cand -s 'With CHART: only the manifests of these templates (templates/x.yaml, globs as Helm''s); repeat'
            cand --show-only 'With CHART: only the manifests of these templates (templates/x.yaml, globs as Helm''s); repeat'
            cand --kube-version 'With CHART: the Kubernetes version (.Capabilities.KubeVersion, the chart''s kubeVersion check); default v1.36.0 as Helm v4.2'
            cand -a 'With CHART: API versions added to .Capabilities.APIVersions; comma-separated, repeat'
            cand --api-versions 'With CHART: API versions added to .Capabilities.APIVersions; comma-separated, repeat'
            cand -o 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)'
            cand --output-dir 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)'
            cand --diff 'Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different'
            cand --include-crds 'With CHART: print the chart''s crds/ files first'
            cand --skip-tests 'With CHART: leave out test hooks'
            cand --is-upgrade 'With CHART: set .Release.IsUpgrade instead of .Release.IsInstall'
            cand --check 'Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'msvc;presets'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'Name and one-line description of every preset'
            cand show 'Print a preset''s YAML, to copy and adapt'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'msvc;presets;list'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;presets;show'= {
            cand --gie-api 'Inference Extension API the copy is for: v1 leaves out the InferenceModel, which only v1alpha2 has'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;presets;help'= {
            cand list 'Name and one-line description of every preset'
            cand show 'Print a preset''s YAML, to copy and adapt'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'msvc;presets;help;list'= {
        }
        &'msvc;presets;help;show'= {
        }
        &'msvc;presets;help;help'= {
        }
        &'msvc;krm'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;kustomize-plugin'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand install 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)'
            cand run 'Render a generator config file (what the installed plugin runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'msvc;kustomize-plugin;install'= {
            cand --dir 'Plugin home directory'
            cand --msvc 'The msvc binary the plugin runs (default: this one)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;kustomize-plugin;run'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;kustomize-plugin;help'= {
            cand install 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)'
            cand run 'Render a generator config file (what the installed plugin runs)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'msvc;kustomize-plugin;help;install'= {
        }
        &'msvc;kustomize-plugin;help;run'= {
        }
        &'msvc;kustomize-plugin;help;help'= {
        }
        &'msvc;explain'= {
            cand -f 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)'
            cand --filename 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)'
            cand -b 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig'
            cand --baseconfig 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig'
            cand --preset 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier'
            cand -n 'Namespace of every rendered object (default: the ModelService''s, else `default`)'
            cand --namespace 'Namespace of every rendered object (default: the ModelService''s, else `default`)'
            cand --default-namespace 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)'
            cand --epp-cluster-role 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits'
            cand --pd-pull-secrets 'imagePullSecrets for the prefill/decode ServiceAccount'
            cand --epp-pull-secrets 'imagePullSecrets for the endpoint picker''s ServiceAccount'
            cand --gie-api 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller''s, with InferenceModel)'
            cand --path 'Only fields under this path: `Kind/name:path`, `Kind/name`, or a path in every object (e.g. `spec.replicas`). Repeatable'
            cand --format 'Output format'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;lint'= {
            cand -f 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)'
            cand --filename 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)'
            cand -b 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig'
            cand --baseconfig 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig'
            cand --preset 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier'
            cand -n 'Namespace of every rendered object (default: the ModelService''s, else `default`)'
            cand --namespace 'Namespace of every rendered object (default: the ModelService''s, else `default`)'
            cand --default-namespace 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)'
            cand --epp-cluster-role 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits'
            cand --pd-pull-secrets 'imagePullSecrets for the prefill/decode ServiceAccount'
            cand --epp-pull-secrets 'imagePullSecrets for the endpoint picker''s ServiceAccount'
            cand --gie-api 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller''s, with InferenceModel)'
            cand --format 'Output format'
            cand --deny-warnings 'Exit 1 when there are warnings (and no errors)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;schema'= {
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;completions'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'msvc;help'= {
            cand render 'Render ModelServices (and their BaseConfigs) into Kubernetes objects'
            cand template 'Render llm-d-modelservice Helm chart values, as `helm template` does'
            cand presets 'List or show the built-in BaseConfig presets'
            cand krm 'Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout'
            cand kustomize-plugin 'Install msvc as kustomize''s generator plugin for ModelServices'
            cand explain 'Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule'
            cand lint 'Check ModelServices: everything render rejects, plus a reviewer''s warnings'
            cand schema 'Print the JSON Schema of the ModelService or the BaseConfig, for editors'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'msvc;help;render'= {
        }
        &'msvc;help;template'= {
        }
        &'msvc;help;presets'= {
            cand list 'Name and one-line description of every preset'
            cand show 'Print a preset''s YAML, to copy and adapt'
        }
        &'msvc;help;presets;list'= {
        }
        &'msvc;help;presets;show'= {
        }
        &'msvc;help;krm'= {
        }
        &'msvc;help;kustomize-plugin'= {
            cand install 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)'
            cand run 'Render a generator config file (what the installed plugin runs)'
        }
        &'msvc;help;kustomize-plugin;install'= {
        }
        &'msvc;help;kustomize-plugin;run'= {
        }
        &'msvc;help;explain'= {
        }
        &'msvc;help;lint'= {
        }
        &'msvc;help;schema'= {
        }
        &'msvc;help;completions'= {
        }
        &'msvc;help;help'= {
        }
    ]
    $completions[$command]
}
