# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_msvc_global_optspecs
    string join \n h/help V/version
end

function __fish_msvc_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_msvc_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_msvc_using_subcommand
    set -l cmd (__fish_msvc_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c msvc -n "__fish_msvc_needs_command" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_needs_command" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "render" -d 'Render ModelServices (and their BaseConfigs) into Kubernetes objects'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "template" -d 'Render llm-d-modelservice Helm chart values, as `helm template` does'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "presets" -d 'List or show the built-in BaseConfig presets'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "krm" -d 'Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "kustomize-plugin" -d 'Install msvc as kustomize\'s generator plugin for ModelServices'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "explain" -d 'Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "lint" -d 'Check ModelServices: everything render rejects, plus a reviewer\'s warnings'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "schema" -d 'Print the JSON Schema of the ModelService or the BaseConfig, for editors'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c msvc -n "__fish_msvc_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c msvc -n "__fish_msvc_using_subcommand render" -s f -l filename -d 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand render" -s b -l baseconfig -d 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand render" -l preset -d 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier' -r -f -a "amd-rocm\t'AMD GPUs (amd.com/gpu) with ROCm: llm-d\'s ROCm image; the GPU count follows parallelism.tensor.'
aws-efa\t'NVIDIA GPUs on AWS with Elastic Fabric Adapter (vpc.amazonaws.com/efa): llm-d\'s AWS image, one EFA device and the libfabric env.'
cpu\t'CPU only, no accelerator: the llm-d inference simulator, for CI, kind clusters and demos.'
google-tpu\t'Google Cloud TPUs on GKE (google.com/tpu): the vLLM TPU image, a TPU slice shape and its chip count.'
graceful-shutdown\t'Graceful shutdown: model server pods leave the pool, wait 15s, then drain, so rollouts and scale-down fail no request.'
intel-gaudi\t'Intel Gaudi accelerators (habana.ai/gaudi): llm-d\'s HPU image and Gaudi env; the card count follows parallelism.tensor.'
intel-xpu\t'Intel GPUs on the i915 kernel driver (gpu.intel.com/i915): llm-d\'s XPU image; the GPU count follows parallelism.tensor.'
intel-xpu-xe\t'Intel GPUs on the xe kernel driver (gpu.intel.com/xe): llm-d\'s XPU image; the GPU count follows parallelism.tensor.'
large\t'Size large: 8 accelerators, 64 CPUs and 256Gi of memory per model server, for multi-tenant platforms.'
medium\t'Size medium: 2 accelerators, 16 CPUs and 32Gi of memory per model server, for multi-tenant platforms.'
monitoring\t'Monitoring: a PodMonitor for the model servers and a ServiceMonitor for the endpoint picker (Prometheus Operator).'
nvidia\t'NVIDIA GPUs (nvidia.com/gpu): the CUDA image; the GPU count follows parallelism.tensor.'
precise-prefix-cache\t'Precise prefix-cache aware routing: vLLM publishes its KV-cache events to the endpoint picker, which scores pods by the blocks they hold.'
sglang\t'SGLang decode (python3 -m sglang.launch_server) on NVIDIA GPUs, with endpoint picker and routing.'
small\t'Size small: 1 accelerator, 8 CPUs and 16Gi of memory per model server, for multi-tenant platforms.'
tracing\t'Tracing: OpenTelemetry for vLLM and the endpoint picker (--tracing=true), exported to http://otel-collector:4317.'
vllm-hf\t'vLLM decode for a Hugging Face model, with endpoint picker and routing (on nvidia unless another hardware preset is given).'
vllm-oci\t'vLLM decode for a model in an OCI image (oci://, an image volume), with endpoint picker and routing (on nvidia unless another hardware preset is given).'
vllm-pd-nixl\t'vLLM prefill/decode disaggregation with the routing sidecar and NIXL KV transfer, EPP in P/D mode.'
vllm-pvc\t'vLLM decode for a model on a PersistentVolumeClaim (pvc://), with endpoint picker and routing (on nvidia unless another hardware preset is given).'
amd-rocm@v0.3\t'AMD GPUs (amd.com/gpu) with ROCm: llm-d\'s ROCm image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
aws-efa@v0.3\t'NVIDIA GPUs on AWS with Elastic Fabric Adapter (vpc.amazonaws.com/efa): llm-d\'s AWS image, one EFA device and the libfabric env. (the v0.3 preset, kept for stacks pinned to it)'
cpu@v0.3\t'CPU only, no accelerator: the llm-d inference simulator, for CI, kind clusters and demos. (the v0.3 preset, kept for stacks pinned to it)'
intel-gaudi@v0.3\t'Intel Gaudi accelerators (habana.ai/gaudi): llm-d\'s HPU image and Gaudi env; the card count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
intel-xpu-xe@v0.3\t'Intel GPUs on the xe kernel driver (gpu.intel.com/xe): llm-d\'s XPU image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
intel-xpu@v0.3\t'Intel GPUs on the i915 kernel driver (gpu.intel.com/i915): llm-d\'s XPU image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
nvidia@v0.3\t'NVIDIA GPUs (nvidia.com/gpu): the CUDA image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
sglang@v0.3\t'SGLang decode (python3 -m sglang.launch_server) on NVIDIA GPUs, with endpoint picker and routing. (the v0.3 preset, kept for stacks pinned to it)'
vllm-hf@v0.3\t'vLLM decode for a Hugging Face model, with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'
vllm-oci@v0.3\t'vLLM decode for a model in an OCI image (oci://, an image volume), with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'
vllm-pd-nixl@v0.3\t'vLLM prefill/decode disaggregation with the routing sidecar and NIXL KV transfer, EPP in P/D mode. (the v0.3 preset, kept for stacks pinned to it)'
vllm-pvc@v0.3\t'vLLM decode for a model on a PersistentVolumeClaim (pvc://), with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'"
complete -c msvc -n "__fish_msvc_using_subcommand render" -s n -l namespace -d 'Namespace of every rendered object (default: the ModelService\'s, else `default`)' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -l default-namespace -d 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -l epp-cluster-role -d 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -l pd-pull-secrets -d 'imagePullSecrets for the prefill/decode ServiceAccount' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -l epp-pull-secrets -d 'imagePullSecrets for the endpoint picker\'s ServiceAccount' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -l gie-api -d 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller\'s, with InferenceModel)' -r -f -a "v1\t''
v1alpha2\t''"
complete -c msvc -n "__fish_msvc_using_subcommand render" -s m -l modelservice -d 'A ModelService file (the old controller\'s `generate -m`)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand render" -l applyset -d 'Label objects as members of this kubectl ApplySet ([KIND/]NAME, as `kubectl apply --prune --applyset` takes it; in --namespace, else --default-namespace, else `default`)' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -s o -l output-dir -d 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand render" -l diff -d 'Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand render" -s j -l jobs -d 'Render on N threads (default: one per CPU); the output is the same for any N' -r
complete -c msvc -n "__fish_msvc_using_subcommand render" -l check -d 'Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR'
complete -c msvc -n "__fish_msvc_using_subcommand render" -l strict -d 'Treat warnings (e.g. BaseConfig fields outside the object\'s schema) as errors'
complete -c msvc -n "__fish_msvc_using_subcommand render" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand render" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand template" -s f -l values -d 'A values file of the llm-d-modelservice chart (- for stdin); repeat to layer, later over earlier' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand template" -l set -d 'Set a value in Helm\'s syntax (a.b=c, a[0].b=c, a={x,y}); repeat, later over earlier' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -s n -l namespace -d 'The release namespace (`.Release.Namespace`, default `default`)' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -l version -d 'The chart version to render, as in `helm template --version` (exact, or a range such as ^0.4); checked against the chart\'s' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -l set-string -d 'With CHART: set a value as a string (no typing); repeat' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -l set-json -d 'With CHART: set a value to JSON (a.b={"x":1}); repeat' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -l set-file -d 'With CHART: set a value to a file\'s text; repeat' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -l set-literal -d 'With CHART: set a value to the literal text after `=`; repeat' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -s s -l show-only -d 'With CHART: only the manifests of these templates (templates/x.yaml, globs as Helm\'s); repeat' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -l kube-version -d 'With CHART: the Kubernetes version (.Capabilities.KubeVersion, the chart\'s kubeVersion check); default v1.36.0 as Helm v4.2' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -s a -l api-versions -d 'With CHART: API versions added to .Capabilities.APIVersions; comma-separated, repeat' -r
complete -c msvc -n "__fish_msvc_using_subcommand template" -s o -l output-dir -d 'Write one file per object to DIR/<name>/<kind>-<name>.yaml (replaces DIR atomically)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand template" -l diff -d 'Compare with a previous render (a file or an -o directory) and print a diff per object; exit 1 when different' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand template" -l include-crds -d 'With CHART: print the chart\'s crds/ files first'
complete -c msvc -n "__fish_msvc_using_subcommand template" -l skip-tests -d 'With CHART: leave out test hooks'
complete -c msvc -n "__fish_msvc_using_subcommand template" -l is-upgrade -d 'With CHART: set .Release.IsUpgrade instead of .Release.IsInstall'
complete -c msvc -n "__fish_msvc_using_subcommand template" -l check -d 'Like --diff, but write nothing and end with a summary: for CI (exit 1 when different). Compares with --diff PATH, else with -o DIR'
complete -c msvc -n "__fish_msvc_using_subcommand template" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and not __fish_seen_subcommand_from list show help" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and not __fish_seen_subcommand_from list show help" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and not __fish_seen_subcommand_from list show help" -f -a "list" -d 'Name and one-line description of every preset'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and not __fish_seen_subcommand_from list show help" -f -a "show" -d 'Print a preset\'s YAML, to copy and adapt'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and not __fish_seen_subcommand_from list show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from show" -l gie-api -d 'Inference Extension API the copy is for: v1 leaves out the InferenceModel, which only v1alpha2 has' -r -f -a "v1\t''
v1alpha2\t''"
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "list" -d 'Name and one-line description of every preset'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print a preset\'s YAML, to copy and adapt'
complete -c msvc -n "__fish_msvc_using_subcommand presets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c msvc -n "__fish_msvc_using_subcommand krm" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand krm" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and not __fish_seen_subcommand_from install run help" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and not __fish_seen_subcommand_from install run help" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and not __fish_seen_subcommand_from install run help" -f -a "install" -d 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and not __fish_seen_subcommand_from install run help" -f -a "run" -d 'Render a generator config file (what the installed plugin runs)'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and not __fish_seen_subcommand_from install run help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from install" -l dir -d 'Plugin home directory' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from install" -l msvc -d 'The msvc binary the plugin runs (default: this one)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from help" -f -a "run" -d 'Render a generator config file (what the installed plugin runs)'
complete -c msvc -n "__fish_msvc_using_subcommand kustomize-plugin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c msvc -n "__fish_msvc_using_subcommand explain" -s f -l filename -d 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand explain" -s b -l baseconfig -d 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l preset -d 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier' -r -f -a "amd-rocm\t'AMD GPUs (amd.com/gpu) with ROCm: llm-d\'s ROCm image; the GPU count follows parallelism.tensor.'
aws-efa\t'NVIDIA GPUs on AWS with Elastic Fabric Adapter (vpc.amazonaws.com/efa): llm-d\'s AWS image, one EFA device and the libfabric env.'
cpu\t'CPU only, no accelerator: the llm-d inference simulator, for CI, kind clusters and demos.'
google-tpu\t'Google Cloud TPUs on GKE (google.com/tpu): the vLLM TPU image, a TPU slice shape and its chip count.'
graceful-shutdown\t'Graceful shutdown: model server pods leave the pool, wait 15s, then drain, so rollouts and scale-down fail no request.'
intel-gaudi\t'Intel Gaudi accelerators (habana.ai/gaudi): llm-d\'s HPU image and Gaudi env; the card count follows parallelism.tensor.'
intel-xpu\t'Intel GPUs on the i915 kernel driver (gpu.intel.com/i915): llm-d\'s XPU image; the GPU count follows parallelism.tensor.'
intel-xpu-xe\t'Intel GPUs on the xe kernel driver (gpu.intel.com/xe): llm-d\'s XPU image; the GPU count follows parallelism.tensor.'
large\t'Size large: 8 accelerators, 64 CPUs and 256Gi of memory per model server, for multi-tenant platforms.'
medium\t'Size medium: 2 accelerators, 16 CPUs and 32Gi of memory per model server, for multi-tenant platforms.'
monitoring\t'Monitoring: a PodMonitor for the model servers and a ServiceMonitor for the endpoint picker (Prometheus Operator).'
nvidia\t'NVIDIA GPUs (nvidia.com/gpu): the CUDA image; the GPU count follows parallelism.tensor.'
precise-prefix-cache\t'Precise prefix-cache aware routing: vLLM publishes its KV-cache events to the endpoint picker, which scores pods by the blocks they hold.'
sglang\t'SGLang decode (python3 -m sglang.launch_server) on NVIDIA GPUs, with endpoint picker and routing.'
small\t'Size small: 1 accelerator, 8 CPUs and 16Gi of memory per model server, for multi-tenant platforms.'
tracing\t'Tracing: OpenTelemetry for vLLM and the endpoint picker (--tracing=true), exported to http://otel-collector:4317.'
vllm-hf\t'vLLM decode for a Hugging Face model, with endpoint picker and routing (on nvidia unless another hardware preset is given).'
vllm-oci\t'vLLM decode for a model in an OCI image (oci://, an image volume), with endpoint picker and routing (on nvidia unless another hardware preset is given).'
vllm-pd-nixl\t'vLLM prefill/decode disaggregation with the routing sidecar and NIXL KV transfer, EPP in P/D mode.'
vllm-pvc\t'vLLM decode for a model on a PersistentVolumeClaim (pvc://), with endpoint picker and routing (on nvidia unless another hardware preset is given).'
amd-rocm@v0.3\t'AMD GPUs (amd.com/gpu) with ROCm: llm-d\'s ROCm image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
aws-efa@v0.3\t'NVIDIA GPUs on AWS with Elastic Fabric Adapter (vpc.amazonaws.com/efa): llm-d\'s AWS image, one EFA device and the libfabric env. (the v0.3 preset, kept for stacks pinned to it)'
cpu@v0.3\t'CPU only, no accelerator: the llm-d inference simulator, for CI, kind clusters and demos. (the v0.3 preset, kept for stacks pinned to it)'
intel-gaudi@v0.3\t'Intel Gaudi accelerators (habana.ai/gaudi): llm-d\'s HPU image and Gaudi env; the card count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
intel-xpu-xe@v0.3\t'Intel GPUs on the xe kernel driver (gpu.intel.com/xe): llm-d\'s XPU image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
intel-xpu@v0.3\t'Intel GPUs on the i915 kernel driver (gpu.intel.com/i915): llm-d\'s XPU image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
nvidia@v0.3\t'NVIDIA GPUs (nvidia.com/gpu): the CUDA image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
sglang@v0.3\t'SGLang decode (python3 -m sglang.launch_server) on NVIDIA GPUs, with endpoint picker and routing. (the v0.3 preset, kept for stacks pinned to it)'
vllm-hf@v0.3\t'vLLM decode for a Hugging Face model, with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'
vllm-oci@v0.3\t'vLLM decode for a model in an OCI image (oci://, an image volume), with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'
vllm-pd-nixl@v0.3\t'vLLM prefill/decode disaggregation with the routing sidecar and NIXL KV transfer, EPP in P/D mode. (the v0.3 preset, kept for stacks pinned to it)'
vllm-pvc@v0.3\t'vLLM decode for a model on a PersistentVolumeClaim (pvc://), with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'"
complete -c msvc -n "__fish_msvc_using_subcommand explain" -s n -l namespace -d 'Namespace of every rendered object (default: the ModelService\'s, else `default`)' -r
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l default-namespace -d 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)' -r
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l epp-cluster-role -d 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits' -r
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l pd-pull-secrets -d 'imagePullSecrets for the prefill/decode ServiceAccount' -r
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l epp-pull-secrets -d 'imagePullSecrets for the endpoint picker\'s ServiceAccount' -r
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l gie-api -d 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller\'s, with InferenceModel)' -r -f -a "v1\t''
v1alpha2\t''"
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l path -d 'Only fields under this path: `Kind/name:path`, `Kind/name`, or a path in every object (e.g. `spec.replicas`). Repeatable' -r
complete -c msvc -n "__fish_msvc_using_subcommand explain" -l format -d 'Output format' -r -f -a "text\t'For people'
json\t'For programs and CI'"
complete -c msvc -n "__fish_msvc_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c msvc -n "__fish_msvc_using_subcommand explain" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand lint" -s f -l filename -d 'A ModelService file or directory, as `kubectl apply -f` takes it (the same as naming it as INPUT)' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand lint" -s b -l baseconfig -d 'A BaseConfig ConfigMap file; used by ModelServices that name no BaseConfig' -r -F
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l preset -d 'A built-in preset (see `msvc presets list`); repeat to layer presets, later over earlier' -r -f -a "amd-rocm\t'AMD GPUs (amd.com/gpu) with ROCm: llm-d\'s ROCm image; the GPU count follows parallelism.tensor.'
aws-efa\t'NVIDIA GPUs on AWS with Elastic Fabric Adapter (vpc.amazonaws.com/efa): llm-d\'s AWS image, one EFA device and the libfabric env.'
cpu\t'CPU only, no accelerator: the llm-d inference simulator, for CI, kind clusters and demos.'
google-tpu\t'Google Cloud TPUs on GKE (google.com/tpu): the vLLM TPU image, a TPU slice shape and its chip count.'
graceful-shutdown\t'Graceful shutdown: model server pods leave the pool, wait 15s, then drain, so rollouts and scale-down fail no request.'
intel-gaudi\t'Intel Gaudi accelerators (habana.ai/gaudi): llm-d\'s HPU image and Gaudi env; the card count follows parallelism.tensor.'
intel-xpu\t'Intel GPUs on the i915 kernel driver (gpu.intel.com/i915): llm-d\'s XPU image; the GPU count follows parallelism.tensor.'
intel-xpu-xe\t'Intel GPUs on the xe kernel driver (gpu.intel.com/xe): llm-d\'s XPU image; the GPU count follows parallelism.tensor.'
large\t'Size large: 8 accelerators, 64 CPUs and 256Gi of memory per model server, for multi-tenant platforms.'
medium\t'Size medium: 2 accelerators, 16 CPUs and 32Gi of memory per model server, for multi-tenant platforms.'
monitoring\t'Monitoring: a PodMonitor for the model servers and a ServiceMonitor for the endpoint picker (Prometheus Operator).'
nvidia\t'NVIDIA GPUs (nvidia.com/gpu): the CUDA image; the GPU count follows parallelism.tensor.'
precise-prefix-cache\t'Precise prefix-cache aware routing: vLLM publishes its KV-cache events to the endpoint picker, which scores pods by the blocks they hold.'
sglang\t'SGLang decode (python3 -m sglang.launch_server) on NVIDIA GPUs, with endpoint picker and routing.'
small\t'Size small: 1 accelerator, 8 CPUs and 16Gi of memory per model server, for multi-tenant platforms.'
tracing\t'Tracing: OpenTelemetry for vLLM and the endpoint picker (--tracing=true), exported to http://otel-collector:4317.'
vllm-hf\t'vLLM decode for a Hugging Face model, with endpoint picker and routing (on nvidia unless another hardware preset is given).'
vllm-oci\t'vLLM decode for a model in an OCI image (oci://, an image volume), with endpoint picker and routing (on nvidia unless another hardware preset is given).'
vllm-pd-nixl\t'vLLM prefill/decode disaggregation with the routing sidecar and NIXL KV transfer, EPP in P/D mode.'
vllm-pvc\t'vLLM decode for a model on a PersistentVolumeClaim (pvc://), with endpoint picker and routing (on nvidia unless another hardware preset is given).'
amd-rocm@v0.3\t'AMD GPUs (amd.com/gpu) with ROCm: llm-d\'s ROCm image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
aws-efa@v0.3\t'NVIDIA GPUs on AWS with Elastic Fabric Adapter (vpc.amazonaws.com/efa): llm-d\'s AWS image, one EFA device and the libfabric env. (the v0.3 preset, kept for stacks pinned to it)'
cpu@v0.3\t'CPU only, no accelerator: the llm-d inference simulator, for CI, kind clusters and demos. (the v0.3 preset, kept for stacks pinned to it)'
intel-gaudi@v0.3\t'Intel Gaudi accelerators (habana.ai/gaudi): llm-d\'s HPU image and Gaudi env; the card count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
intel-xpu-xe@v0.3\t'Intel GPUs on the xe kernel driver (gpu.intel.com/xe): llm-d\'s XPU image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
intel-xpu@v0.3\t'Intel GPUs on the i915 kernel driver (gpu.intel.com/i915): llm-d\'s XPU image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
nvidia@v0.3\t'NVIDIA GPUs (nvidia.com/gpu): the CUDA image; the GPU count follows parallelism.tensor. (the v0.3 preset, kept for stacks pinned to it)'
sglang@v0.3\t'SGLang decode (python3 -m sglang.launch_server) on NVIDIA GPUs, with endpoint picker and routing. (the v0.3 preset, kept for stacks pinned to it)'
vllm-hf@v0.3\t'vLLM decode for a Hugging Face model, with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'
vllm-oci@v0.3\t'vLLM decode for a model in an OCI image (oci://, an image volume), with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'
vllm-pd-nixl@v0.3\t'vLLM prefill/decode disaggregation with the routing sidecar and NIXL KV transfer, EPP in P/D mode. (the v0.3 preset, kept for stacks pinned to it)'
vllm-pvc@v0.3\t'vLLM decode for a model on a PersistentVolumeClaim (pvc://), with endpoint picker and routing (on nvidia unless another hardware preset is given). (the v0.3 preset, kept for stacks pinned to it)'"
complete -c msvc -n "__fish_msvc_using_subcommand lint" -s n -l namespace -d 'Namespace of every rendered object (default: the ModelService\'s, else `default`)' -r
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l default-namespace -d 'Namespace of ModelServices that name none, instead of `default` (--namespace still wins)' -r
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l epp-cluster-role -d 'Bind the endpoint picker to this ClusterRole instead of a Role msvc emits' -r
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l pd-pull-secrets -d 'imagePullSecrets for the prefill/decode ServiceAccount' -r
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l epp-pull-secrets -d 'imagePullSecrets for the endpoint picker\'s ServiceAccount' -r
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l gie-api -d 'Inference Extension API of the InferencePool: v1 (current, the default) or v1alpha2 (the controller\'s, with InferenceModel)' -r -f -a "v1\t''
v1alpha2\t''"
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l format -d 'Output format' -r -f -a "text\t'`file:line:col: warning: message [rule]`, for people and editors'
json\t'An array of {severity, file, line, column, message, help, rule, path}'
github\t'GitHub Actions annotations (`::warning file=...::message`)'"
complete -c msvc -n "__fish_msvc_using_subcommand lint" -l deny-warnings -d 'Exit 1 when there are warnings (and no errors)'
complete -c msvc -n "__fish_msvc_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c msvc -n "__fish_msvc_using_subcommand lint" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c msvc -n "__fish_msvc_using_subcommand schema" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand completions" -s h -l help -d 'Print help'
complete -c msvc -n "__fish_msvc_using_subcommand completions" -s V -l version -d 'Print version'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "render" -d 'Render ModelServices (and their BaseConfigs) into Kubernetes objects'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "template" -d 'Render llm-d-modelservice Helm chart values, as `helm template` does'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "presets" -d 'List or show the built-in BaseConfig presets'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "krm" -d 'Run as a KRM function: a ResourceList on stdin, rendered objects appended on stdout'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "kustomize-plugin" -d 'Install msvc as kustomize\'s generator plugin for ModelServices'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "explain" -d 'Show where each field of the rendered output came from: ModelService, BaseConfig or an msvc rule'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "lint" -d 'Check ModelServices: everything render rejects, plus a reviewer\'s warnings'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "schema" -d 'Print the JSON Schema of the ModelService or the BaseConfig, for editors'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c msvc -n "__fish_msvc_using_subcommand help; and not __fish_seen_subcommand_from render template presets krm kustomize-plugin explain lint schema completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c msvc -n "__fish_msvc_using_subcommand help; and __fish_seen_subcommand_from presets" -f -a "list" -d 'Name and one-line description of every preset'
complete -c msvc -n "__fish_msvc_using_subcommand help; and __fish_seen_subcommand_from presets" -f -a "show" -d 'Print a preset\'s YAML, to copy and adapt'
complete -c msvc -n "__fish_msvc_using_subcommand help; and __fish_seen_subcommand_from kustomize-plugin" -f -a "install" -d 'Install the generator plugin for kustomize (`generators:` listing a ModelService file)'
complete -c msvc -n "__fish_msvc_using_subcommand help; and __fish_seen_subcommand_from kustomize-plugin" -f -a "run" -d 'Render a generator config file (what the installed plugin runs)'
