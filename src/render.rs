//! One ModelService + its compiled BaseConfig -> its objects, in apply order.

use crate::artifacts::ModelUri;
use crate::baseconfig::{BaseStack, DataKey};
use crate::error::{Diagnostic, Stage};
use crate::hardware;
use crate::modelservice::{Container, ModelService, Role};
use crate::naming::{Derived, ModelLabel, Names, model_service_label};
use crate::objects::workload::{CONTAINERS, ModelVolume, Workload, deployment};
use crate::objects::{
    LABEL_EPP, LABEL_MODEL, LABEL_MODEL_SERVICE, LABEL_ROLE, LABEL_SERVING, Manifest, ObjectExt,
    add_metadata_labels, autoscaling, config_map, http_route, inference, labels, rbac, schema,
    service,
};
use crate::template::{self, Vars};
use crate::yaml::{Node, Origin, Value};

/// Settings that apply to every ModelService of a run.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// Overrides every ModelService's namespace.
    pub namespace: Option<String>,
    /// The namespace of ModelServices that name none (instead of `default`);
    /// `namespace` still wins over it.
    pub default_namespace: Option<String>,
    /// Bind the EPP to this ClusterRole instead of emitting a Role.
    pub epp_cluster_role: Option<String>,
    pub pd_pull_secrets: Vec<String>,
    pub epp_pull_secrets: Vec<String>,
    /// The Inference Extension API of InferencePool (and InferenceModel);
    /// `None` (not chosen) is v1.
    pub gie_api: Option<inference::GieApi>,
    /// Where `msvc.llm-d.ai/baseconfig` files are read from.
    pub file_root: crate::annotations::FileRoot,
    /// Label every object as a member of this kubectl ApplySet.
    pub applyset: Option<crate::applyset::ApplySet>,
    /// Threads rendering ModelServices; `None` is one per CPU. The output is
    /// the same for any number.
    pub jobs: Option<usize>,
}

impl RenderOptions {
    /// The namespace of a ModelService's objects: `--namespace`, else its
    /// own, else the default namespace (Argo CD's), else `default`.
    pub fn namespace_for(&self, ms: &ModelService) -> String {
        self.namespace
            .clone()
            .or_else(|| ms.namespace.clone())
            .or_else(|| self.default_namespace.clone())
            .unwrap_or_else(|| "default".to_string())
    }
}

/// The template variables of one ModelService.
pub fn vars(
    ms: &ModelService,
    namespace: &str,
    names: &Names,
    uri: &ModelUri,
    accelerator: Option<&str>,
) -> Vars {
    let mut v = Vars::default();
    let s = &mut v.strings;
    let tensor = |r: &Option<Role>| {
        r.as_ref()
            .and_then(|r| r.tensor_parallelism)
            .filter(|t| *t > 0)
            .unwrap_or(1)
            .to_string()
    };
    s.insert("DecodeTensorParallelism", tensor(&ms.decode));
    s.insert("PrefillTensorParallelism", tensor(&ms.prefill));
    s.insert("AcceleratorType", accelerator.unwrap_or("").to_string());
    s.insert(
        "AcceleratorResource",
        accelerator.and_then(hardware::resource).unwrap_or_default(),
    );
    s.insert("ModelServiceName", ms.name.clone());
    s.insert("ModelServiceNamespace", namespace.to_string());
    s.insert("ModelName", ms.routing.model_name.clone());
    s.insert(
        "SanitizedModelName",
        ModelLabel::of(&ms.routing.model_name).variable,
    );
    s.insert("HFModelName", uri.hf_model_name());
    s.insert("ModelPath", uri.model_path());
    s.insert("MountedModelPath", uri.mounted_model_path());
    s.insert(
        "AuthSecretName",
        ms.artifacts.auth_secret_name.clone().unwrap_or_default(),
    );
    s.insert("EPPServiceName", names.epp_service.clone());
    s.insert("EPPDeploymentName", names.epp_deployment.clone());
    s.insert("PrefillDeploymentName", names.prefill_deployment.clone());
    s.insert("DecodeDeploymentName", names.decode_deployment.clone());
    s.insert("PrefillServiceName", names.prefill_service.clone());
    s.insert("DecodeServiceName", names.decode_service.clone());
    s.insert("InferencePoolName", names.inference_pool.clone());
    s.insert("InferenceModelName", names.inference_model.clone());
    for (var, image) in crate::images::IMAGES {
        s.insert(var, (*image).to_string());
    }
    for p in &ms.routing.ports {
        v.ports.insert(p.name.clone(), p.port);
    }
    v
}

/// Renders the templated strings of the ModelService's containers: every
/// `args` entry and every `env` value.
fn render_containers(
    containers: &[Container],
    ctx: &tera::Context,
    path: &str,
) -> Result<Vec<Container>, Diagnostic> {
    let engine = template::shared_engine();
    let mut out = Vec::with_capacity(containers.len());
    for (i, c) in containers.iter().enumerate() {
        let mut c = c.clone();
        let cpath = format!("{path}[{i}]");
        if let Some(args) = c.fields.get_mut("args").and_then(Node::as_seq_mut) {
            for (j, a) in args.iter_mut().enumerate() {
                render_string(engine, a, ctx, &format!("{cpath}.args[{j}]"))?;
            }
        }
        if let Some(env) = c.fields.get_mut("env").and_then(Node::as_seq_mut) {
            for (j, e) in env.iter_mut().enumerate() {
                if let Some(v) = e.get_mut("value") {
                    render_string(engine, v, ctx, &format!("{cpath}.env[{j}].value"))?;
                }
            }
        }
        out.push(c);
    }
    Ok(out)
}

fn render_string(
    engine: &tera::Tera,
    node: &mut Node,
    ctx: &tera::Context,
    path: &str,
) -> Result<(), Diagnostic> {
    let Value::String(s) = &node.value else {
        return Ok(());
    };
    if !template::is_template(s) {
        return Ok(());
    }
    let origin = Origin {
        file: node.span.file.clone(),
        line_offset: node.span.line.saturating_sub(1),
        col_offset: node.span.col.saturating_sub(1),
    };
    let rendered = template::render_str(engine, s, ctx, path, &origin)?;
    node.value = Value::String(rendered);
    Ok(())
}

fn rendered_role(
    role: Option<&Role>,
    ctx: &tera::Context,
    path: &str,
) -> Result<Option<Role>, Diagnostic> {
    role.map(|r| {
        Ok(Role {
            containers: render_containers(&r.containers, ctx, &format!("{path}.containers"))?,
            init_containers: render_containers(
                &r.init_containers,
                ctx,
                &format!("{path}.initContainers"),
            )?,
            ..r.clone()
        })
    })
    .transpose()
}

/// For a BaseConfig that names its accelerator type: the model server
/// container (`main`: the BaseConfig's container named `vllm`, else its
/// first; a ModelService's extra containers never count) requests `tensor`
/// devices of that type unless its limits or requests set a count, and
/// gets the type's env unless it sets those names itself.
fn add_accelerator(dep: &mut Node, ty: &str, tensor: i64, main: Option<&str>) {
    let Some(containers) = dep.get_path_mut(&CONTAINERS).and_then(Node::as_seq_mut) else {
        return;
    };
    let main = containers
        .iter()
        .position(|c| c.get("name").and_then(Node::as_str) == main)
        .or_else(|| crate::objects::workload::model_server(containers))
        .unwrap_or(0);
    let Some(c) = containers.get_mut(main) else {
        return;
    };
    if let Some(resource) = hardware::resource(ty) {
        // Kubernetes wants an extended resource's request equal to its
        // limit: a count set on one side is copied to the other; with none
        // set, both get the tensor parallel size.
        let set = ["limits", "requests"]
            .iter()
            .find_map(|kind| c.get_path(&["resources", kind, resource.as_str()]).cloned());
        let count = set.unwrap_or_else(|| Node::string(tensor.to_string()));
        for kind in ["limits", "requests"] {
            let m = c.ensure_map(&["resources", kind]);
            if !m.contains_key(&resource) {
                m.insert(resource.clone(), count.clone());
            }
        }
    }
    let extra = hardware::env(ty);
    if !extra.is_empty() {
        let env = c.ensure_seq(&["env"]);
        for e in extra {
            let name = e.get("name").and_then(Node::as_str).map(str::to_string);
            if !env
                .iter()
                .any(|x| x.get("name").and_then(Node::as_str) == name.as_deref())
            {
                env.push(e);
            }
        }
    }
}

/// Every container needs an image; the API server would refuse the
/// Deployment on apply, so say which container lacks one now.
fn require_images(dep: &Node, ms: &ModelService) -> Result<(), Diagnostic> {
    for list in ["initContainers", "containers"] {
        let Some(items) = dep
            .get_path(&["spec", "template", "spec", list])
            .and_then(Node::as_seq)
        else {
            continue;
        };
        for c in items {
            let has_image = c
                .get("image")
                .and_then(Node::as_str)
                .is_some_and(|i| !i.is_empty());
            if !has_image {
                let name = c.get("name").and_then(Node::as_str).unwrap_or("");
                let span = if c.span.is_known() {
                    c.span.clone()
                } else {
                    ms.span.clone()
                };
                return Err(Diagnostic::new(
                    Stage::Build,
                    span,
                    format!("container `{name}` of Deployment `{}` has no image", dep.name()),
                )
                .with_help(format!(
                    "set `image` on the container in the ModelService, or use a BaseConfig that defines `{name}` for this role"
                )));
            }
        }
    }
    Ok(())
}

/// The model server of a Deployment: its container named `vllm`, else its first.
fn model_server_name(dep: &Node) -> Option<String> {
    let containers = dep.get_path(&CONTAINERS)?.as_seq()?;
    let i = crate::objects::workload::model_server(containers)?;
    containers[i]
        .get("name")
        .and_then(Node::as_str)
        .map(str::to_string)
}

/// The EPP config of a stack that names a scheduling profile: the
/// ModelService's choice, else the stack's. A ModelService that chooses one
/// over a stack whose EPP reads none is told so.
fn epp_config_of(
    ms: &ModelService,
    base: &BaseStack,
) -> Result<Option<crate::epp_config::EppConfig>, Diagnostic> {
    use crate::epp_config::{Choice, PROFILES, resolve};
    let model = ms.routing.model_name.as_str();
    match (&ms.scheduling_profile, base.scheduling_profile()) {
        (Some((choice, span)), Some(_)) => resolve(choice, span, model).map(Some),
        (Some((_, span)), None) => Err(Diagnostic::new(
            Stage::Resolve,
            span.clone(),
            format!(
                "annotation `{}`: BaseConfig `{}` has no EPP that reads a scheduling config",
                crate::epp_config::ANNOTATION,
                base.name()
            ),
        )
        .with_path(format!("metadata.annotations.{}", crate::epp_config::ANNOTATION))
        .with_help("use a built-in topology preset (vllm-hf, vllm-pd-nixl, ...), or mark your BaseConfig with the same annotation and mount `/config/{{ .EPPConfigFile }}` from the ConfigMap named {{ .EPPDeploymentName }}")),
        (None, Some(name)) => {
            let name = PROFILES
                .iter()
                .map(|(n, _, _)| *n)
                .find(|n| *n == name)
                .unwrap_or("default");
            resolve(&Choice::Builtin(name), &ms.span, model).map(Some)
        }
        (None, None) => Ok(None),
    }
}

/// Renders one ModelService over its BaseConfig. Warnings about sloppy
/// BaseConfig fields go to `warnings`.
pub fn render_model_service(
    ms: &ModelService,
    base: &BaseStack,
    opts: &RenderOptions,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Manifest, Diagnostic> {
    let namespace = opts.namespace_for(ms);
    let ns = namespace.as_str();
    // Decoding checked the URI; the derived names are checked once it is
    // known which objects are emitted.
    let names = Names::new(&ms.name);
    let label = ModelLabel::of(&ms.routing.model_name);
    warnings.extend(label.check(&ms.routing.model_name, &ms.routing.model_name_span));
    let model_label = label.label;
    // The objects with derived names that are emitted.
    let mut emitted = Vec::new();
    let uri = &ms.artifacts.model_uri;
    let accelerator = base.accelerator();
    let epp_config = epp_config_of(ms, base)?;
    let mut v = vars(ms, ns, &names, uri, accelerator);
    v.strings.insert(
        "EPPConfigFile",
        epp_config.as_ref().map_or_else(
            || crate::epp_config::DEFAULT_FILE.to_string(),
            |c| c.file.clone(),
        ),
    );
    v.strings.insert("Tracing", base.tracing().to_string());
    v.strings.insert(
        "InferencePoolGroup",
        opts.gie_api.unwrap_or_default().group().to_string(),
    );
    let ctx = v.context();

    let common = labels(&[(LABEL_SERVING, "true"), (LABEL_MODEL, &model_label)]);
    let role_labels = |role: &str| {
        let mut l = common.clone();
        l.push((LABEL_ROLE.to_string(), role.to_string()));
        l
    };
    let epp_labels = labels(&[(LABEL_EPP, &names.epp_deployment)]);

    let decode = rendered_role(ms.decode.as_ref(), &ctx, "spec.decode")?;
    let prefill = rendered_role(ms.prefill.as_ref(), &ctx, "spec.prefill")?;
    let epp = rendered_role(ms.endpoint_picker.as_ref(), &ctx, "spec.endpointPicker")?;

    let check =
        |mut obj: Node, key: DataKey, warnings: &mut Vec<Diagnostic>| -> Result<Node, Diagnostic> {
            schema::check(
                &mut obj,
                &format!("{}/{}", base.name(), key.as_str()),
                warnings,
            )?;
            Ok(obj)
        };

    let mut service_accounts = Vec::new();
    let mut services = Vec::new();
    let mut deployments = Vec::new();
    let mut rbac_objects = Vec::new();
    let mut scaling = Vec::new();
    let mut config_maps = Vec::new();
    let mut monitors = Vec::new();

    // Prefill and decode.
    let roles = [
        (
            "decode",
            decode.as_ref(),
            (DataKey::DecodeDeployment, Derived::DecodeDeployment),
            (DataKey::DecodeService, Derived::DecodeService),
        ),
        (
            "prefill",
            prefill.as_ref(),
            (DataKey::PrefillDeployment, Derived::PrefillDeployment),
            (DataKey::PrefillService, Derived::PrefillService),
        ),
    ];
    for (role, spec, (dep_key, dep_derived), (svc_key, svc_derived)) in roles {
        let (dep_name, svc_name) = (names.get(dep_derived), names.get(svc_derived));
        let base_dep = base.render(dep_key, &ctx, warnings)?;
        if spec.is_none() && base_dep.is_none() {
            continue;
        }
        let empty = Role::default();
        let r = spec.unwrap_or(&empty);
        let pod_labels = role_labels(role);
        let w = Workload {
            name: dep_name,
            namespace: ns,
            metadata_labels: &pod_labels,
            pod_labels: &pod_labels,
            service_account: &names.service_account,
            replicas: r.replicas,
            omit_replicas: ms.decouple_scaling || r.autoscaling.is_some(),
            containers: &r.containers,
            init_containers: &r.init_containers,
            model: Some(ModelVolume {
                uri,
                size: ms.artifacts.size.as_ref(),
                auth_secret_name: ms.artifacts.auth_secret_name.as_deref(),
            }),
            accelerators: r.accelerator_types.as_ref(),
        };
        let main = base_dep.as_ref().and_then(model_server_name);
        let mut dep = deployment(base_dep, &w);
        crate::fit::check_serves_model(&dep, ms, base)?;
        if let Some(ty) = accelerator {
            let tensor = r.tensor_parallelism.filter(|t| *t > 0).unwrap_or(1);
            add_accelerator(&mut dep, ty, tensor, main.as_deref());
        }
        deployments.push(check(dep, dep_key, warnings)?);
        emitted.push(dep_derived);
        if let Some(a) = &r.autoscaling {
            let hpa = autoscaling::horizontal_pod_autoscaler(dep_name, ns, &pod_labels, a);
            scaling.push(check(hpa, dep_key, warnings)?);
        }
        if let Some(b) = &r.disruption_budget {
            let pdb = autoscaling::pod_disruption_budget(dep_name, ns, &pod_labels, &pod_labels, b);
            scaling.push(check(pdb, dep_key, warnings)?);
        }
        if let Some(svc) = base.render(svc_key, &ctx, warnings)? {
            let obj = service::service(svc, svc_name, ns, &pod_labels, &pod_labels);
            services.push(check(obj, svc_key, warnings)?);
            emitted.push(svc_derived);
        }
    }
    if !deployments.is_empty() {
        if let Some(pm) = base.render(DataKey::PodMonitor, &ctx, warnings)? {
            let obj = crate::objects::monitor::monitor(
                pm,
                "PodMonitor",
                &names.pod_monitor,
                ns,
                &common,
                &common,
            );
            monitors.push(check(obj, DataKey::PodMonitor, warnings)?);
            emitted.push(Derived::PodMonitor);
        }
        service_accounts.push(rbac::service_account(
            &names.service_account,
            ns,
            &common,
            &opts.pd_pull_secrets,
        ));
        emitted.push(Derived::ServiceAccount);
    }

    // Endpoint picker.
    let has_inference_model =
        base.has(DataKey::InferenceModel) && opts.gie_api == Some(inference::GieApi::V1Alpha2);
    let mut epp_port = None;
    if let Some(base_epp) = base.render(DataKey::EppDeployment, &ctx, warnings)? {
        let empty = Role::default();
        let r = epp.as_ref().unwrap_or(&empty);
        let w = Workload {
            name: &names.epp_deployment,
            namespace: ns,
            metadata_labels: &epp_labels,
            pod_labels: &epp_labels,
            service_account: &names.epp_service_account,
            replicas: r.replicas,
            omit_replicas: false,
            containers: &r.containers,
            init_containers: &r.init_containers,
            model: None,
            accelerators: None,
        };
        deployments.push(check(
            deployment(Some(base_epp), &w),
            DataKey::EppDeployment,
            warnings,
        )?);
        emitted.extend([
            Derived::EppDeployment,
            Derived::EppServiceAccount,
            Derived::EppRoleBinding,
        ]);
        if let Some(svc) = base.render(DataKey::EppService, &ctx, warnings)? {
            let obj = service::service(svc, &names.epp_service, ns, &epp_labels, &epp_labels);
            epp_port = obj
                .get_path(&["spec", "ports"])
                .and_then(Node::as_seq)
                .and_then(|p| p.first())
                .and_then(|p| p.get("port"))
                .and_then(Node::as_i64);
            services.push(check(obj, DataKey::EppService, warnings)?);
            emitted.push(Derived::EppService);
            if let Some(sm) = base.render(DataKey::EppServiceMonitor, &ctx, warnings)? {
                let obj = crate::objects::monitor::monitor(
                    sm,
                    "ServiceMonitor",
                    &names.epp_service_monitor,
                    ns,
                    &epp_labels,
                    &epp_labels,
                );
                monitors.push(check(obj, DataKey::EppServiceMonitor, warnings)?);
                emitted.push(Derived::EppServiceMonitor);
            }
        }
        service_accounts.push(rbac::service_account(
            &names.epp_service_account,
            ns,
            &epp_labels,
            &opts.epp_pull_secrets,
        ));
        if let Some(config) = &epp_config {
            config_maps.push(crate::epp_config::config_map(
                &names.epp_deployment,
                ns,
                &epp_labels,
                config,
            ));
        }
        let (kind, role_name) = match &opts.epp_cluster_role {
            Some(cr) => ("ClusterRole", cr.clone()),
            None => {
                rbac_objects.push(if epp_config.is_some() {
                    rbac::epp_role_chart(
                        &names.epp_role,
                        ns,
                        &epp_labels,
                        opts.gie_api.unwrap_or_default().group(),
                        has_inference_model,
                    )
                } else {
                    rbac::epp_role(&names.epp_role, ns, &epp_labels, has_inference_model)
                });
                emitted.push(Derived::EppRole);
                ("Role", names.epp_role.clone())
            }
        };
        rbac_objects.push(rbac::role_binding(
            &names.epp_role_binding,
            ns,
            &epp_labels,
            &names.epp_service_account,
            kind,
            &role_name,
        ));
    } else if ms.endpoint_picker.is_some() {
        warnings.push(
            Diagnostic::new(
                Stage::Build,
                ms.span.clone(),
                format!(
                    "spec.endpointPicker is set but BaseConfig `{}` has no eppDeployment; no endpoint picker is rendered",
                    base.name()
                ),
            )
            .with_path("spec.endpointPicker")
            .with_help("add eppDeployment to the BaseConfig, or remove spec.endpointPicker"),
        );
    }

    let mut tail = Vec::new();
    let mut pool_ref = None;
    let api = opts.gie_api.unwrap_or_default();
    if let Some(pool) = base.render(DataKey::InferencePool, &ctx, warnings)? {
        let obj = inference::inference_pool(
            pool,
            &names.inference_pool,
            ns,
            &common,
            &names.epp_service,
            epp_port,
            api,
        );
        pool_ref = Some(api.group());
        tail.push(check(obj, DataKey::InferencePool, warnings)?);
        emitted.push(Derived::InferencePool);
    }
    if api == inference::GieApi::V1 {
        // The v1 API has no InferenceModel, so nothing is rendered. Built-in
        // presets carry one for v1alpha2; only a user's BaseConfig is told.
        let from_user = base
            .layers
            .iter()
            .find(|l| !l.config.builtin && l.has(DataKey::InferenceModel));
        if let Some(layer) = from_user {
            let at = layer
                .config
                .key_spans
                .get(&DataKey::InferenceModel)
                .cloned()
                .unwrap_or_else(|| ms.span.clone());
            warnings.push(
                Diagnostic::new(
                    Stage::Build,
                    at,
                    format!(
                        "{}/inferenceModel: not rendered: InferenceModel does not exist in the v1 Inference Extension API",
                        base.name()
                    ),
                )
                .with_help("render with --gie-api v1alpha2 for clusters on the old API, or remove inferenceModel from the BaseConfig"),
            );
        }
    } else if let Some(model) = base.render(DataKey::InferenceModel, &ctx, warnings)? {
        let obj = inference::inference_model(
            model,
            &names.inference_model,
            ns,
            &common,
            &ms.routing.model_name,
            &names.inference_pool,
        );
        tail.push(check(obj, DataKey::InferenceModel, warnings)?);
    }
    let route_base = base.render(DataKey::HttpRoute, &ctx, warnings)?;
    if route_base.is_some() || !ms.routing.gateway_refs.is_empty() {
        let mut obj = http_route::http_route(
            route_base,
            &names.http_route,
            ns,
            &common,
            &ms.routing.gateway_refs,
            pool_ref.map(|g| (g, names.inference_pool.as_str())),
        );
        inference::retarget_backend_refs(&mut obj, api);
        tail.push(check(obj, DataKey::HttpRoute, warnings)?);
        emitted.push(Derived::HttpRoute);
    }

    if let Some(list) = base.render(DataKey::ConfigMaps, &ctx, warnings)? {
        for cm in config_map::config_maps(list, ns)? {
            config_maps.push(check(cm, DataKey::ConfigMaps, warnings)?);
        }
    }

    for dep in &deployments {
        require_images(dep, ms)?;
    }
    warnings.extend(names.check_emitted(&emitted, &ms.name_span)?);

    let mut objects = service_accounts;
    let ownership = {
        let mut l = labels(&[(LABEL_MODEL_SERVICE, &model_service_label(&ms.name))]);
        if let Some(set) = &opts.applyset {
            l.push((crate::applyset::PART_OF.to_string(), set.id()));
        }
        l
    };
    objects.extend(config_maps);
    objects.extend(rbac_objects);
    objects.extend(services);
    objects.extend(deployments);
    objects.extend(scaling);
    objects.extend(tail);
    objects.extend(monitors);
    for obj in &mut objects {
        add_metadata_labels(obj, &ownership);
    }
    Ok(Manifest {
        name: ms.name.clone(),
        objects,
    })
}
