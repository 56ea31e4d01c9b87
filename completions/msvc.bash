_msvc() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="msvc"
                ;;
            msvc,completions)
                cmd="msvc__subcmd__completions"
                ;;
            msvc,explain)
                cmd="msvc__subcmd__explain"
                ;;
            msvc,help)
                cmd="msvc__subcmd__help"
                ;;
            msvc,krm)
                cmd="msvc__subcmd__krm"
                ;;
            msvc,kustomize-plugin)
                cmd="msvc__subcmd__kustomize__subcmd__plugin"
                ;;
            msvc,lint)
                cmd="msvc__subcmd__lint"
                ;;
            msvc,presets)
                cmd="msvc__subcmd__presets"
                ;;
            msvc,render)
                cmd="msvc__subcmd__render"
                ;;
            msvc,schema)
                cmd="msvc__subcmd__schema"
                ;;
            msvc,template)
                cmd="msvc__subcmd__template"
                ;;
            msvc__subcmd__help,completions)
                cmd="msvc__subcmd__help__subcmd__completions"
                ;;
            msvc__subcmd__help,explain)
                cmd="msvc__subcmd__help__subcmd__explain"
                ;;
            msvc__subcmd__help,help)
                cmd="msvc__subcmd__help__subcmd__help"
                ;;
            msvc__subcmd__help,krm)
                cmd="msvc__subcmd__help__subcmd__krm"
                ;;
            msvc__subcmd__help,kustomize-plugin)
                cmd="msvc__subcmd__help__subcmd__kustomize__subcmd__plugin"
                ;;
            msvc__subcmd__help,lint)
                cmd="msvc__subcmd__help__subcmd__lint"
                ;;
            msvc__subcmd__help,presets)
                cmd="msvc__subcmd__help__subcmd__presets"
                ;;
            msvc__subcmd__help,render)
                cmd="msvc__subcmd__help__subcmd__render"
                ;;
            msvc__subcmd__help,schema)
                cmd="msvc__subcmd__help__subcmd__schema"
                ;;
            msvc__subcmd__help,template)
                cmd="msvc__subcmd__help__subcmd__template"
                ;;
            msvc__subcmd__help__subcmd__kustomize__subcmd__plugin,install)
                cmd="msvc__subcmd__help__subcmd__kustomize__subcmd__plugin__subcmd__install"
                ;;
            msvc__subcmd__help__subcmd__kustomize__subcmd__plugin,run)
                cmd="msvc__subcmd__help__subcmd__kustomize__subcmd__plugin__subcmd__run"
                ;;
            msvc__subcmd__help__subcmd__presets,list)
                cmd="msvc__subcmd__help__subcmd__presets__subcmd__list"
                ;;
            msvc__subcmd__help__subcmd__presets,show)
                cmd="msvc__subcmd__help__subcmd__presets__subcmd__show"
                ;;
            msvc__subcmd__kustomize__subcmd__plugin,help)
                cmd="msvc__subcmd__kustomize__subcmd__plugin__subcmd__help"
                ;;
            msvc__subcmd__kustomize__subcmd__plugin,install)
                cmd="msvc__subcmd__kustomize__subcmd__plugin__subcmd__install"
                ;;
            msvc__subcmd__kustomize__subcmd__plugin,run)
                cmd="msvc__subcmd__kustomize__subcmd__plugin__subcmd__run"
                ;;
            msvc__subcmd__kustomize__subcmd__plugin__subcmd__help,help)
                cmd="msvc__subcmd__kustomize__subcmd__plugin__subcmd__help__subcmd__help"
                ;;
            msvc__subcmd__kustomize__subcmd__plugin__subcmd__help,install)
                cmd="msvc__subcmd__kustomize__subcmd__plugin__subcmd__help__subcmd__install"
                ;;
            msvc__subcmd__kustomize__subcmd__plugin__subcmd__help,run)
                cmd="msvc__subcmd__kustomize__subcmd__plugin__subcmd__help__subcmd__run"
                ;;
            msvc__subcmd__presets,help)
                cmd="msvc__subcmd__presets__subcmd__help"
                ;;
            msvc__subcmd__presets,list)
                cmd="msvc__subcmd__presets__subcmd__list"
                ;;
            msvc__subcmd__presets,show)
                cmd="msvc__subcmd__presets__subcmd__show"
                ;;
            msvc__subcmd__presets__subcmd__help,help)
                cmd="msvc__subcmd__presets__subcmd__help__subcmd__help"
                ;;
            msvc__subcmd__presets__subcmd__help,list)
                cmd="msvc__subcmd__presets__subcmd__help__subcmd__list"
                ;;
            msvc__subcmd__presets__subcmd__help,show)
                cmd="msvc__subcmd__presets__subcmd__help__subcmd__show"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        msvc)
            opts="-h -V --help --version render template presets krm kustomize-plugin explain lint schema completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__completions)
            opts="-h -V --help --version bash elvish fish powershell zsh"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__explain)
            opts="-f -b -n -h -V --filename --baseconfig --preset --namespace --default-namespace --epp-cluster-role --pd-pull-secrets --epp-pull-secrets --gie-api --path --format --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --baseconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --preset)
                    COMPREPLY=($(compgen -W "amd-rocm aws-efa cpu google-tpu graceful-shutdown intel-gaudi intel-xpu intel-xpu-xe large medium monitoring nvidia precise-prefix-cache sglang small tracing vllm-hf vllm-oci vllm-pd-nixl vllm-pvc amd-rocm@v0.3 aws-efa@v0.3 cpu@v0.3 intel-gaudi@v0.3 intel-xpu-xe@v0.3 intel-xpu@v0.3 nvidia@v0.3 sglang@v0.3 vllm-hf@v0.3 vllm-oci@v0.3 vllm-pd-nixl@v0.3 vllm-pvc@v0.3" -- "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --default-namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --epp-cluster-role)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pd-pull-secrets)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --epp-pull-secrets)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gie-api)
                    COMPREPLY=($(compgen -W "v1 v1alpha2" -- "${cur}"))
                    return 0
                    ;;
                --path)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "text json" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help)
            opts="render template presets krm kustomize-plugin explain lint schema completions help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__completions)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__explain)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__krm)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__kustomize__subcmd__plugin)
            opts="install run"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__kustomize__subcmd__plugin__subcmd__install)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__kustomize__subcmd__plugin__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__lint)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__presets)
            opts="list show"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__presets__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__presets__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__render)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__schema)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__help__subcmd__template)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__krm)
            opts="-h -V --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin)
            opts="-h -V --help --version install run help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin__subcmd__help)
            opts="install run help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin__subcmd__help__subcmd__install)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin__subcmd__help__subcmd__run)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin__subcmd__install)
            opts="-h -V --dir --msvc --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --msvc)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__kustomize__subcmd__plugin__subcmd__run)
            opts="-h -V --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__lint)
            opts="-f -b -n -h -V --filename --baseconfig --preset --namespace --default-namespace --epp-cluster-role --pd-pull-secrets --epp-pull-secrets --gie-api --format --deny-warnings --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --baseconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --preset)
                    COMPREPLY=($(compgen -W "amd-rocm aws-efa cpu google-tpu graceful-shutdown intel-gaudi intel-xpu intel-xpu-xe large medium monitoring nvidia precise-prefix-cache sglang small tracing vllm-hf vllm-oci vllm-pd-nixl vllm-pvc amd-rocm@v0.3 aws-efa@v0.3 cpu@v0.3 intel-gaudi@v0.3 intel-xpu-xe@v0.3 intel-xpu@v0.3 nvidia@v0.3 sglang@v0.3 vllm-hf@v0.3 vllm-oci@v0.3 vllm-pd-nixl@v0.3 vllm-pvc@v0.3" -- "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --default-namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --epp-cluster-role)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pd-pull-secrets)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --epp-pull-secrets)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gie-api)
                    COMPREPLY=($(compgen -W "v1 v1alpha2" -- "${cur}"))
                    return 0
                    ;;
                --format)
                    COMPREPLY=($(compgen -W "text json github" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets)
            opts="-h -V --help --version list show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets__subcmd__help)
            opts="list show help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets__subcmd__help__subcmd__help)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets__subcmd__help__subcmd__list)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets__subcmd__help__subcmd__show)
            opts=""
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets__subcmd__list)
            opts="-h -V --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__presets__subcmd__show)
            opts="-h -V --gie-api --help --version amd-rocm aws-efa cpu google-tpu graceful-shutdown intel-gaudi intel-xpu intel-xpu-xe large medium monitoring nvidia precise-prefix-cache sglang small tracing vllm-hf vllm-oci vllm-pd-nixl vllm-pvc amd-rocm@v0.3 aws-efa@v0.3 cpu@v0.3 intel-gaudi@v0.3 intel-xpu-xe@v0.3 intel-xpu@v0.3 nvidia@v0.3 sglang@v0.3 vllm-hf@v0.3 vllm-oci@v0.3 vllm-pd-nixl@v0.3 vllm-pvc@v0.3"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --gie-api)
                    COMPREPLY=($(compgen -W "v1 v1alpha2" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__render)
            opts="-f -b -n -m -o -j -h -V --filename --baseconfig --preset --namespace --default-namespace --epp-cluster-role --pd-pull-secrets --epp-pull-secrets --gie-api --modelservice --applyset --output-dir --diff --check --jobs --strict --help --version"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --filename)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --baseconfig)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -b)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --preset)
                    COMPREPLY=($(compgen -W "amd-rocm aws-efa cpu google-tpu graceful-shutdown intel-gaudi intel-xpu intel-xpu-xe large medium monitoring nvidia precise-prefix-cache sglang small tracing vllm-hf vllm-oci vllm-pd-nixl vllm-pvc amd-rocm@v0.3 aws-efa@v0.3 cpu@v0.3 intel-gaudi@v0.3 intel-xpu-xe@v0.3 intel-xpu@v0.3 nvidia@v0.3 sglang@v0.3 vllm-hf@v0.3 vllm-oci@v0.3 vllm-pd-nixl@v0.3 vllm-pvc@v0.3" -- "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --default-namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --epp-cluster-role)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --pd-pull-secrets)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --epp-pull-secrets)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --gie-api)
                    COMPREPLY=($(compgen -W "v1 v1alpha2" -- "${cur}"))
                    return 0
                    ;;
                --modelservice)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -m)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --applyset)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --diff)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --jobs)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -j)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__schema)
            opts="-h -V --help --version modelservice baseconfig"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        msvc__subcmd__template)
            opts="-f -n -s -a -o -h --values --set --namespace --version --set-string --set-json --set-file --set-literal --show-only --include-crds --skip-tests --kube-version --api-versions --is-upgrade --output-dir --diff --check --help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --values)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -f)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --namespace)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -n)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-string)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-file)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --set-literal)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --show-only)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -s)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --kube-version)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --api-versions)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -a)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output-dir)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                -o)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --diff)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _msvc -o nosort -o bashdefault -o default msvc
else
    complete -F _msvc -o bashdefault -o default msvc
fi
