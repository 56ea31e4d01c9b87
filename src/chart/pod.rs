//! Pod specs and containers of a role (`decode`, `prefill`), in the order
//! the chart writes their keys: a later key replaces an earlier one, as it
//! does when the chart's text is read as YAML (so a role's `extraConfig`
//! gives way to the keys the chart sets after it).

use serde_json::json;

use crate::accelerator;
use crate::error::Diagnostic;
use crate::objects::dra;
use crate::parallelism::Parallelism;
use crate::routing_proxy::{self, RoutingProxy};
use crate::tracing::Tracing;
use crate::yaml::{Mapping, Node, Value};

use super::model::ModelUri;
use super::tpl::render_tree;
use super::{Chart, go_text, printed, truthy, values_error};

pub(crate) struct Role<'a> {
    pub name: &'static str,
    pub spec: &'a Node,
}

impl<'a> Role<'a> {
    pub fn new(chart: &'a Chart, name: &'static str) -> Self {
        static EMPTY: std::sync::OnceLock<Node> = std::sync::OnceLock::new();
        let spec = chart
            .get(&[name])
            .unwrap_or_else(|| EMPTY.get_or_init(Node::map));
        Role { name, spec }
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.spec.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn is(&self, key: &str) -> bool {
        truthy(self.get(key))
    }

    pub fn path(&self, rest: &str) -> String {
        format!("{}.{rest}", self.name)
    }

    pub fn parallelism(&self) -> Parallelism {
        let p = self.get("parallelism");
        let field = |k: &str| {
            p.and_then(|p| p.get(k))
                .filter(|n| !n.is_null())
                .map(accelerator::quantity_int)
        };
        Parallelism::new(
            field("tensor"),
            field("data"),
            field("dataLocal"),
            field("workers"),
        )
    }

    /// L, or the values error naming `ROLE.parallelism.data`.
    pub fn data_local(&self) -> Result<i64, Diagnostic> {
        self.parallelism()
            .data_local()
            .map_err(|e| self.parallelism_error(&e))
    }

    pub fn workers(&self) -> Result<i64, Diagnostic> {
        self.parallelism()
            .workers()
            .map_err(|e| self.parallelism_error(&e))
    }

    pub fn accelerators(&self) -> Result<i64, Diagnostic> {
        Ok(self.data_local()? * self.parallelism().tensor())
    }

    fn parallelism_error(&self, e: &crate::parallelism::NotAMultiple) -> Diagnostic {
        let node = self.get("parallelism").and_then(|p| p.get("data"));
        values_error(
            node,
            &self.path("parallelism.data"),
            format!("`{}`: {e}", self.path("parallelism.data")),
            format!(
                "set {} to a multiple of {}, or set {} explicitly",
                self.path("parallelism.data"),
                e.divisor,
                // The unset one of dataLocal and workers is the one derived.
                self.path(if e.of == "workers" {
                    "parallelism.dataLocal"
                } else {
                    "parallelism.workers"
                })
            ),
        )
    }

    fn accelerator_override(&self, key: &str) -> Option<&'a Node> {
        self.get("accelerator")
            .filter(|n| truthy(Some(n)))?
            .get(key)
    }

    /// `ROLE.accelerator.type`, else `accelerator.type`, else nvidia.
    pub fn accelerator_type(&self, chart: &Chart) -> String {
        match self.accelerator_override("type") {
            Some(t) => go_text(t),
            None => global_accelerator_type(chart),
        }
    }

    /// `ROLE.accelerator.dra`, else `accelerator.dra`.
    pub fn dra(&self, chart: &Chart) -> bool {
        match self.accelerator_override("dra") {
            Some(d) => truthy(Some(d)),
            None => truthy(chart.get(&["accelerator", "dra"])),
        }
    }

    /// Template variables of this role's scope.
    fn scope(&self) -> Vec<(&'static str, serde_json::Value)> {
        vec![
            ("role", json!(self.name)),
            ("pdSpec", self.spec.to_json()),
            (
                "parallelism",
                self.get("parallelism")
                    .map_or(serde_json::Value::Null, Node::to_json),
            ),
        ]
    }
}

pub(crate) fn global_accelerator_type(chart: &Chart) -> String {
    match chart
        .get(&["accelerator", "type"])
        .filter(|n| truthy(Some(n)))
    {
        Some(t) => go_text(t),
        None => "nvidia".into(),
    }
}

/// The DRA template config of `ty`, if the values have one.
pub(crate) fn claim_config<'c>(chart: &'c Chart, ty: &str) -> Option<&'c Node> {
    chart
        .get(&["accelerator", "resourceClaimTemplates"])
        .and_then(|t| t.get(ty))
}

/// The pod's claims: the accelerator claim under DRA, then `ROLE.resourceClaims`.
pub(crate) fn claims(chart: &Chart, role: &Role) -> Vec<Node> {
    let mut out = Vec::new();
    if role.dra(chart) {
        let ty = role.accelerator_type(chart);
        let config = claim_config(chart, &ty);
        let name_of = |c: &Node| c.get("name").filter(|n| truthy(Some(n))).map(go_text);
        let config_name = config.and_then(name_of);
        let (claim, template) = match config {
            Some(_) => (
                dra::claim_name(config_name.as_deref(), &ty, role.name),
                dra::claim_template_name(config_name.as_deref(), &ty, role.name),
            ),
            None => (
                dra::claim_name(None, &ty, role.name),
                dra::claim_template_name(None, &ty, role.name),
            ),
        };
        out.push(dra::pod_claim(&claim, &template));
    }
    if let Some(extra) = role.get("resourceClaims").and_then(Node::as_seq) {
        out.extend(extra.iter().cloned());
    }
    out
}

fn tracing(chart: &Chart) -> Option<Tracing> {
    if !truthy(chart.get(&["tracing"])) || !truthy(chart.get(&["tracing", "enabled"])) {
        return None;
    }
    let t = |p: &[&str]| {
        let mut full = vec!["tracing"];
        full.extend_from_slice(p);
        chart.get(&full).map(go_text).unwrap_or_default()
    };
    Some(Tracing {
        endpoint: t(&["otlpEndpoint"]),
        sampler: t(&["sampling", "sampler"]),
        sampler_arg: t(&["sampling", "samplerArg"]),
        collect_detailed_traces: t(&["vllm", "collectDetailedTraces"]),
    })
}

fn tracing_service(chart: &Chart, key: &str) -> String {
    chart
        .get(&["tracing", "serviceNames", key])
        .map(go_text)
        .unwrap_or_default()
}

/// The routing proxy init container, unless `routing.proxy.enabled: false`.
pub(crate) fn routing_proxy(chart: &Chart) -> Result<Option<Node>, Diagnostic> {
    let proxy = chart.get(&["routing", "proxy"]);
    let p = |k: &str| proxy.and_then(|p| p.get(k));
    if p("enabled").is_some_and(|e| e.as_bool() == Some(false)) {
        return Ok(None);
    }
    let or_default = |n: Option<&Node>, d: &str| {
        n.filter(|n| truthy(Some(n)))
            .map_or_else(|| d.to_string(), go_text)
    };
    let image = p("image").filter(|n| truthy(Some(n))).ok_or_else(|| {
        values_error(
            proxy,
            "routing.proxy.image",
            "routing.proxy.image must be specified",
            "set routing.proxy.image to the routing sidecar image",
        )
    })?;
    let service_port = chart.get(&["routing", "servicePort"]);
    let mut flags = Vec::new();
    for (key, flag) in [
        ("zapDevel", "zap-devel"),
        ("zapEncoder", "zap-encoder"),
        ("zapLogLevel", "zap-log-level"),
        ("zapStacktraceLevel", "zap-stacktrace-level"),
        ("zapTimeEncoding", "zap-time-encoding"),
        ("secure", "secure-proxy"),
        ("prefillerUseTLS", "prefiller-use-tls"),
        ("certPath", "cert-path"),
    ] {
        if proxy
            .and_then(Node::as_map)
            .is_some_and(|m| m.contains_key(key))
        {
            flags.push((flag.to_string(), p(key).map(go_text).unwrap_or_default()));
        }
    }
    let rp = RoutingProxy {
        image: go_text(image),
        image_pull_policy: or_default(p("imagePullPolicy"), "Always"),
        port: or_default(service_port, &routing_proxy::DEFAULT_PORT.to_string()),
        vllm_port: or_default(
            p("targetPort"),
            &routing_proxy::DEFAULT_VLLM_PORT.to_string(),
        ),
        connector: or_default(p("connector"), routing_proxy::DEFAULT_CONNECTOR),
        flags,
        env: tracing(chart)
            .map(|t| t.env(&tracing_service(chart, "routingProxy")))
            .unwrap_or_default(),
    };
    Ok(Some(rp.container()))
}

/// The role's init containers: the proxy first for decode, then the role's own.
/// `None` when the chart writes no `initContainers` key.
pub(crate) fn init_containers(chart: &Chart, role: &Role) -> Result<Option<Node>, Diagnostic> {
    let own = role.get("initContainers").filter(|n| truthy(Some(n)));
    let mut list = Vec::new();
    if role.name == "decode" {
        let proxy_on = chart
            .get(&["routing", "proxy", "enabled"])
            .and_then(Node::as_bool)
            == Some(true);
        if own.is_none() && !proxy_on {
            return Ok(None);
        }
        list.extend(routing_proxy(chart)?);
    } else if own.is_none() {
        return Ok(None);
    }
    if let Some(items) = own.and_then(Node::as_seq) {
        list.extend(items.iter().cloned());
    }
    Ok(Some(Node::seq(list)))
}

/// The pod-level keys the chart's `modelPod` writes, into `spec`.
pub(crate) fn model_pod(chart: &Chart, role: &Role, spec: &mut Mapping) -> Result<(), Diagnostic> {
    if let Some(extra) = role.get("extraConfig").filter(|n| truthy(Some(n))) {
        let rendered = render_tree(chart, extra, &role.path("extraConfig"), &role.scope())?;
        if let Value::Map(m) = rendered.value {
            spec.extend(m);
        }
    }
    if let Some(s) = role.get("imagePullSecrets").filter(|n| truthy(Some(n))) {
        spec.insert("imagePullSecrets".into(), s.clone());
    }
    let scheduler = role
        .get("schedulerName")
        .filter(|n| truthy(Some(n)))
        .or_else(|| chart.get(&["schedulerName"]).filter(|n| truthy(Some(n))));
    if let Some(s) = scheduler {
        spec.insert("schedulerName".into(), printed(s));
    }
    if let Some(p) = role.get("priorityClassName").filter(|n| truthy(Some(n)))
        && !go_text(p).eq_ignore_ascii_case("none")
    {
        spec.insert("priorityClassName".into(), printed(p));
    }
    if let Some(s) = role.get("podSecurityContext").filter(|n| truthy(Some(n))) {
        spec.insert("securityContext".into(), s.clone());
    }
    spec.insert(
        "serviceAccountName".into(),
        super::reread(&chart.service_account_name()),
    );
    if let Some(at) = role.get("acceleratorTypes").filter(|n| truthy(Some(n)))
        && let Some(key) = at.get("labelKey").filter(|n| truthy(Some(n)))
    {
        let mut expr = Node::from_pairs([("key", printed(key)), ("operator", Node::string("In"))]);
        if let (Some(values), Some(m)) = (
            at.get("labelValues").filter(|n| truthy(Some(n))),
            expr.as_map_mut(),
        ) {
            m.insert("values".into(), values.clone());
        }
        let term = Node::from_pairs([("matchExpressions", Node::seq(vec![expr]))]);
        spec.insert(
            "affinity".into(),
            Node::from_pairs([(
                "nodeAffinity",
                Node::from_pairs([(
                    "requiredDuringSchedulingIgnoredDuringExecution",
                    Node::from_pairs([("nodeSelectorTerms", Node::seq(vec![term]))]),
                )]),
            )]),
        );
    }
    let mut volumes: Vec<Node> = role
        .get("volumes")
        .filter(|n| truthy(Some(n)))
        .and_then(Node::as_seq)
        .cloned()
        .unwrap_or_default();
    let mounts_model = role
        .get("containers")
        .and_then(Node::as_seq)
        .is_some_and(|cs| cs.iter().any(|c| truthy(c.get("mountModelVolume"))));
    if mounts_model {
        volumes.extend(ModelUri::of(chart).volume(chart));
    }
    if volumes.is_empty() {
        spec.shift_remove("volumes");
    } else {
        spec.insert("volumes".into(), Node::seq(volumes));
    }
    let claims = claims(chart, role);
    if !claims.is_empty() {
        spec.insert("resourceClaims".into(), Node::seq(claims));
    }
    Ok(())
}

/// The accelerator-mismatch warning of a role's first container. Like the
/// chart, this looks at the global accelerator type, not the role's.
pub(crate) fn accelerator_warning(
    chart: &Chart,
    role: &Role,
) -> Result<Option<String>, Diagnostic> {
    let Some(first) = role
        .get("containers")
        .filter(|n| truthy(Some(n)))
        .and_then(Node::as_seq)
        .and_then(|c| c.first())
    else {
        return Ok(None);
    };
    let count = role.accelerators()?;
    let image = first.get("image").filter(|n| truthy(Some(n))).map(go_text);
    let resources = chart
        .get(&["accelerator", "resources"])
        .and_then(Node::as_map);
    let Some(resource) =
        accelerator::resource_name(resources, &global_accelerator_type(chart), image.as_deref())
    else {
        return Ok(None);
    };
    let limits = first
        .get("resources")
        .filter(|n| truthy(Some(n)))
        .and_then(|r| r.get("limits"))
        .filter(|n| truthy(Some(n)));
    Ok(accelerator::mismatch_warning(
        &resource,
        limits.and_then(Node::as_map),
        count,
    ))
}

/// The role's containers (`None` when it has none).
pub(crate) fn containers(chart: &Chart, role: &Role) -> Result<Option<Node>, Diagnostic> {
    let Some(list) = role
        .get("containers")
        .filter(|n| truthy(Some(n)))
        .and_then(Node::as_seq)
    else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for (i, c) in list.iter().enumerate() {
        out.push(container(
            chart,
            role,
            c,
            &role.path(&format!("containers[{i}]")),
        )?);
    }
    Ok(Some(Node::seq(out)))
}

fn container(chart: &Chart, role: &Role, c: &Node, path: &str) -> Result<Node, Diagnostic> {
    let get = |k: &str| c.get(k).filter(|n| truthy(Some(n)));
    let mut scope = role.scope();
    scope.push(("container", c.to_json()));
    let mut m = Mapping::new();
    m.insert(
        "name".into(),
        get("name").map_or_else(|| Node::string("vllm"), printed),
    );
    let image = get("image").ok_or_else(|| {
        values_error(
            Some(c),
            &format!("{path}.image"),
            format!("image of container is required (`{path}.image`)"),
            "set the container's image",
        )
    })?;
    m.insert("image".into(), printed(image));
    if let Some(extra) = get("extraConfig")
        && let Value::Map(x) =
            render_tree(chart, extra, &format!("{path}.extraConfig"), &scope)?.value
    {
        m.extend(x);
    }
    if let Some(s) = get("securityContext") {
        m.insert("securityContext".into(), s.clone());
    }
    if let Some(p) = get("imagePullPolicy") {
        m.insert("imagePullPolicy".into(), printed(p));
    }
    command(chart, role, c, path, &scope, &mut m)?;

    let uri = ModelUri::of(chart);
    let p = role.parallelism();
    let mut env: Vec<Node> = match get("env") {
        Some(e) => render_tree(chart, e, &format!("{path}.env"), &scope)?
            .as_seq()
            .cloned()
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let var = |name: &str, value: String| {
        Node::from_pairs([("name", Node::string(name)), ("value", Node::string(value))])
    };
    env.push(var("DP_SIZE", p.data().to_string()));
    env.push(var("TP_SIZE", p.tensor().to_string()));
    env.push(var("DP_SIZE_LOCAL", role.data_local()?.to_string()));
    env.extend(uri.env(chart, truthy(c.get("mountModelVolume")))?);
    let ty = role.accelerator_type(chart);
    env.extend(accelerator::env(
        chart.get(&["accelerator", "env"]).and_then(Node::as_map),
        &ty,
    ));
    if let Some(t) = tracing(chart) {
        let key = if role.name == "decode" {
            "vllmDecode"
        } else {
            "vllmPrefill"
        };
        env.extend(t.env(&tracing_service(chart, key)));
    }
    m.insert("env".into(), Node::seq(env));
    if let Some(ports) = get("ports") {
        m.insert(
            "ports".into(),
            render_tree(chart, ports, &format!("{path}.ports"), &scope)?,
        );
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(pr) = get(probe) {
            m.insert(probe.into(), pr.clone());
        }
    }
    m.insert("resources".into(), resources(chart, role, c, &ty)?);
    if get("volumeMounts").is_some() || get("mountModelVolume").is_some() {
        let mut mounts: Vec<Node> = get("volumeMounts")
            .and_then(Node::as_seq)
            .cloned()
            .unwrap_or_default();
        if get("mountModelVolume").is_some() {
            mounts.push(uri.mount(chart));
        }
        m.insert("volumeMounts".into(), Node::seq(mounts));
    }
    for key in ["workingDir", "stdin", "tty"] {
        if let Some(v) = get(key) {
            m.insert(key.into(), printed(v));
        }
    }
    Ok(Node::synth(Value::Map(m)))
}

fn resources(chart: &Chart, role: &Role, c: &Node, ty: &str) -> Result<Node, Diagnostic> {
    let r = c.get("resources").filter(|n| truthy(Some(n)));
    let part = |k: &str| {
        r.and_then(|r| r.get(k))
            .filter(|n| truthy(Some(n)))
            .and_then(Node::as_map)
            .cloned()
            .unwrap_or_default()
    };
    let (mut limits, mut requests) = (part("limits"), part("requests"));
    if !role.dra(chart) {
        let count = role.accelerators()?;
        let image = c.get("image").filter(|n| truthy(Some(n))).map(go_text);
        let table = chart
            .get(&["accelerator", "resources"])
            .and_then(Node::as_map);
        if let Some(resource) = accelerator::resource_name(table, ty, image.as_deref()) {
            accelerator::fill_resources(&mut limits, &mut requests, &resource, count);
        }
    }
    let mut out = Node::from_pairs([
        ("limits", Node::synth(Value::Map(limits))),
        ("requests", Node::synth(Value::Map(requests))),
    ]);
    let claims = claims(chart, role);
    if let (false, Some(m)) = (claims.is_empty(), out.as_map_mut()) {
        let names = claims
            .iter()
            .map(|cl| {
                Node::from_pairs([("name", cl.get("name").cloned().unwrap_or_else(Node::null))])
            })
            .collect();
        m.insert("claims".into(), Node::seq(names));
    }
    Ok(out)
}

/// `command` and `args` by `modelCommand`.
fn command(
    chart: &Chart,
    role: &Role,
    c: &Node,
    path: &str,
    scope: &[(&'static str, serde_json::Value)],
    m: &mut Mapping,
) -> Result<(), Diagnostic> {
    let get = |k: &str| c.get(k).filter(|n| truthy(Some(n)));
    let mode = get("modelCommand").map_or_else(|| "custom".to_string(), go_text);
    match mode.as_str() {
        "vllmServe" | "imageDefault" => {
            let mut args = Vec::new();
            if mode == "imageDefault" {
                args.push(Node::string("--model"));
            }
            let uri = ModelUri::of(chart);
            let model = uri.model_arg(chart, scope)?;
            if model.is_none() && mode == "imageDefault" {
                args.pop();
            }
            args.extend(model);
            let port_key: &[&str] = if role.name == "prefill"
                || chart
                    .get(&["routing", "proxy", "enabled"])
                    .and_then(Node::as_bool)
                    == Some(false)
            {
                &["routing", "servicePort"]
            } else {
                &["routing", "proxy", "targetPort"]
            };
            args.push(Node::string("--port"));
            args.push(Node::string(
                chart.get(port_key).map(go_text).unwrap_or_default(),
            ));
            let p = role.parallelism();
            for (flag, n) in [
                ("--tensor-parallel-size", p.tensor()),
                ("--data-parallel-size", p.data()),
                ("--data-parallel-size-local", role.data_local()?),
            ] {
                if n > 1 {
                    args.push(Node::string(flag));
                    args.push(Node::string(n.to_string()));
                }
            }
            args.push(Node::string("--served-model-name"));
            args.push(Node::string(
                chart
                    .get(&["modelArtifacts", "name"])
                    .map(go_text)
                    .unwrap_or_default(),
            ));
            if let Some(t) = tracing(chart) {
                args.extend(t.vllm_args());
            }
            if let Some(own) = get("args").and_then(Node::as_seq) {
                args.extend(own.iter().cloned());
            }
            if mode == "vllmServe" {
                m.insert(
                    "command".into(),
                    Node::seq(vec![Node::string("vllm"), Node::string("serve")]),
                );
            }
            m.insert("args".into(), Node::seq(args));
        }
        "custom" => {
            let cmd = get("command").ok_or_else(|| {
                values_error(
                    Some(c),
                    &format!("{path}.command"),
                    format!("`{path}` has modelCommand `custom` (the default) but no `command`"),
                    "set `command`, or set modelCommand to `vllmServe` or `imageDefault`",
                )
            })?;
            m.insert("command".into(), cmd.clone());
            if let Some(a) = get("args") {
                m.insert("args".into(), a.clone());
            }
        }
        other => {
            return Err(values_error(
                c.get("modelCommand"),
                &format!("{path}.modelCommand"),
                format!("`{path}.modelCommand` is `{other}`"),
                "use one of: vllmServe, imageDefault, custom",
            ));
        }
    }
    Ok(())
}
