
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'msvc' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'msvc'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'msvc' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render ModelServices (and their BaseConfigs) into Kubernetes objects')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render llm-d-modelservice Helm chart values, as `helm template` does')
            [CompletionResult]::new('presets', 'presets', [CompletionResultType]::ParameterValue, 'List or show the built-in BaseConfig presets')
            [CompletionResult]::new('krm', 'krm', [CompletionResultType]::ParameterValue, 'Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout')
            [CompletionResult]::new('kustomize-plugin', 'kustomize-plugin', [CompletionResultType]::ParameterValue, 'Install msvc as kustomize''s generator plugin for ModelServices')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check ModelServices: everything render rejects, plus a reviewer''s warnings')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the ModelService or the BaseConfig, for editors')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'msvc;render' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig')
            [CompletionResult]::new('--baseconfig', '--baseconfig', [CompletionResultType]::ParameterName, 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of every rendered object (default: the ModelService''s, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of every rendered object (default: the ModelService''s, else `default`)')
            [CompletionResult]::new('--default-namespace', '--default-namespace', [CompletionResultType]::ParameterName, 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)')
            [CompletionResult]::new('--epp-cluster-role', '--epp-cluster-role', [CompletionResultType]::ParameterName, 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits')
            [CompletionResult]::new('--pd-pull-secrets', '--pd-pull-secrets', [CompletionResultType]::ParameterName, 'imagePullSecrets for the prefill/decode ServiceAccount')
            [CompletionResult]::new('--epp-pull-secrets', '--epp-pull-secrets', [CompletionResultType]::ParameterName, 'imagePullSecrets for the endpoint picker''s ServiceAccount')
            [CompletionResult]::new('--gie-api', '--gie-api', [CompletionResultType]::ParameterName, 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller''s, with InferenceModel)')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A ModelService file (the old controller''s `generate -m`)')
            [CompletionResult]::new('--modelservice', '--modelservice', [CompletionResultType]::ParameterName, 'A ModelService file (the old controller''s `generate -m`)')
            [CompletionResult]::new('--applyset', '--applyset', [CompletionResultType]::ParameterName, 'Label objects as members of this kubectl ApplySet ([KIND/]NAME, as `kubectl apply --prune --applyset` takes it; in --namespace, else --default-namespace, else `default`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Render on N threads (default: one per CPU); the output is the same for any N')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Render on N threads (default: one per CPU); the output is the same for any N')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Treat warnings (e.g. BaseConfig fields outside the object''s schema) as errors')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;template' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A values file of the llm-d-modelservice chart (- for stdin); repeat to layer, later over earlier')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'A values file of the llm-d-modelservice chart (- for stdin); repeat to layer, later over earlier')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a value in Helm''s syntax (a.b=c, a[0].b=c, a={x,y}); repeat, later over earlier')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The release namespace (`.Release.Namespace`, default `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The release namespace (`.Release.Namespace`, default `default`)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The chart version to render, as in `helm template --version` (exact, or a range such as ^0.4); checked against the chart''s')
            [CompletionResult]::new('--set-string', '--set-string', [CompletionResultType]::ParameterName, 'With CHART: set a value as a string (no typing); repeat')
            [CompletionResult]::new('--set-json', '--set-json', [CompletionResultType]::ParameterName, 'With CHART: set a value to JSON (a.b={"x":1}); repeat')
            [CompletionResult]::new('--set-file', '--set-file', [CompletionResultType]::ParameterName, 'With CHART: set a value to a file''s text; repeat')
            [CompletionResult]::new('--set-literal', '--set-literal', [CompletionResultType]::ParameterName, 'With CHART: set a value to the literal text after `=`; repeat')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'With CHART: only the manifests of these templates (templates/x.yaml, globs as Helm''s); repeat')
            [CompletionResult]::new('--show-only', '--show-only', [CompletionResultType]::ParameterName, 'With CHART: only the manifests of these templates (templates/x.yaml, globs as Helm''s); repeat')
            [CompletionResult]::new('--kube-version', '--kube-version', [CompletionResultType]::ParameterName, 'With CHART: the Kubernetes version (.Capabilities.KubeVersion, the chart''s kubeVersion check); default v1.36.0 as Helm v4.2')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'With CHART: API versions added to .Capabilities.APIVersions; comma-separated, repeat')
            [CompletionResult]::new('--api-versions', '--api-versions', [CompletionResultType]::ParameterName, 'With CHART: API versions added to .Capabilities.APIVersions; comma-separated, repeat')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)')
            [CompletionResult]::new('--output-dir', '--output-dir', [CompletionResultType]::ParameterName, 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)')
            [CompletionResult]::new('--diff', '--diff', [CompletionResultType]::ParameterName, 'Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different')
            [CompletionResult]::new('--include-crds', '--include-crds', [CompletionResultType]::ParameterName, 'With CHART: print the chart''s crds/ files first')
            [CompletionResult]::new('--skip-tests', '--skip-tests', [CompletionResultType]::ParameterName, 'With CHART: leave out test hooks')
            [CompletionResult]::new('--is-upgrade', '--is-upgrade', [CompletionResultType]::ParameterName, 'With CHART: set .Release.IsUpgrade instead of .Release.IsInstall')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'msvc;presets' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Name and one-line description of every preset')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a preset''s YAML, to copy and adapt')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'msvc;presets;list' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;presets;show' {
            [CompletionResult]::new('--gie-api', '--gie-api', [CompletionResultType]::ParameterName, 'Inference Extension API the copy is for: v1 leaves out the InferenceModel, which only v1alpha2 has')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;presets;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Name and one-line description of every preset')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a preset''s YAML, to copy and adapt')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'msvc;presets;help;list' {
            break
        }
        'msvc;presets;help;show' {
            break
        }
        'msvc;presets;help;help' {
            break
        }
        'msvc;krm' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;kustomize-plugin' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Render a generator config file (what the installed plugin runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'msvc;kustomize-plugin;install' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Plugin home directory')
            [CompletionResult]::new('--msvc', '--msvc', [CompletionResultType]::ParameterName, 'The msvc binary the plugin runs (default: this one)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;kustomize-plugin;run' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;kustomize-plugin;help' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Render a generator config file (what the installed plugin runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'msvc;kustomize-plugin;help;install' {
            break
        }
        'msvc;kustomize-plugin;help;run' {
            break
        }
        'msvc;kustomize-plugin;help;help' {
            break
        }
        'msvc;explain' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig')
            [CompletionResult]::new('--baseconfig', '--baseconfig', [CompletionResultType]::ParameterName, 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of every rendered object (default: the ModelService''s, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of every rendered object (default: the ModelService''s, else `default`)')
            [CompletionResult]::new('--default-namespace', '--default-namespace', [CompletionResultType]::ParameterName, 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)')
            [CompletionResult]::new('--epp-cluster-role', '--epp-cluster-role', [CompletionResultType]::ParameterName, 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits')
            [CompletionResult]::new('--pd-pull-secrets', '--pd-pull-secrets', [CompletionResultType]::ParameterName, 'imagePullSecrets for the prefill/decode ServiceAccount')
            [CompletionResult]::new('--epp-pull-secrets', '--epp-pull-secrets', [CompletionResultType]::ParameterName, 'imagePullSecrets for the endpoint picker''s ServiceAccount')
            [CompletionResult]::new('--gie-api', '--gie-api', [CompletionResultType]::ParameterName, 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller''s, with InferenceModel)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Only fields under this path: `Kind/name:path`, `Kind/name`, or a path in every object (e.g. `spec.replicas`). Repeatable')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig')
            [CompletionResult]::new('--baseconfig', '--baseconfig', [CompletionResultType]::ParameterName, 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig')
            [CompletionResult]::new('--preset', '--preset', [CompletionResultType]::ParameterName, 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Namespace of every rendered object (default: the ModelService''s, else `default`)')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'Namespace of every rendered object (default: the ModelService''s, else `default`)')
            [CompletionResult]::new('--default-namespace', '--default-namespace', [CompletionResultType]::ParameterName, 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)')
            [CompletionResult]::new('--epp-cluster-role', '--epp-cluster-role', [CompletionResultType]::ParameterName, 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits')
            [CompletionResult]::new('--pd-pull-secrets', '--pd-pull-secrets', [CompletionResultType]::ParameterName, 'imagePullSecrets for the prefill/decode ServiceAccount')
            [CompletionResult]::new('--epp-pull-secrets', '--epp-pull-secrets', [CompletionResultType]::ParameterName, 'imagePullSecrets for the endpoint picker''s ServiceAccount')
            [CompletionResult]::new('--gie-api', '--gie-api', [CompletionResultType]::ParameterName, 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller''s, with InferenceModel)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--deny-warnings', '--deny-warnings', [CompletionResultType]::ParameterName, 'Exit 1 when there are warnings (and no errors)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;schema' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;completions' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'msvc;help' {
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Render ModelServices (and their BaseConfigs) into Kubernetes objects')
            [CompletionResult]::new('template', 'template', [CompletionResultType]::ParameterValue, 'Render llm-d-modelservice Helm chart values, as `helm template` does')
            [CompletionResult]::new('presets', 'presets', [CompletionResultType]::ParameterValue, 'List or show the built-in BaseConfig presets')
            [CompletionResult]::new('krm', 'krm', [CompletionResultType]::ParameterValue, 'Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout')
            [CompletionResult]::new('kustomize-plugin', 'kustomize-plugin', [CompletionResultType]::ParameterValue, 'Install msvc as kustomize''s generator plugin for ModelServices')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'Check ModelServices: everything render rejects, plus a reviewer''s warnings')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of the ModelService or the BaseConfig, for editors')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'msvc;help;render' {
            break
        }
        'msvc;help;template' {
            break
        }
        'msvc;help;presets' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Name and one-line description of every preset')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print a preset''s YAML, to copy and adapt')
            break
        }
        'msvc;help;presets;list' {
            break
        }
        'msvc;help;presets;show' {
            break
        }
        'msvc;help;krm' {
            break
        }
        'msvc;help;kustomize-plugin' {
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Render a generator config file (what the installed plugin runs)')
            break
        }
        'msvc;help;kustomize-plugin;install' {
            break
        }
        'msvc;help;kustomize-plugin;run' {
            break
        }
        'msvc;help;explain' {
            break
        }
        'msvc;help;lint' {
            break
        }
        'msvc;help;schema' {
            break
        }
        'msvc;help;completions' {
            break
        }
        'msvc;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
