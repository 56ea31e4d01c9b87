//! The release's objects: ServiceAccount, per role a Deployment,
//! LeaderWorkerSet or requester ReplicaSet, PodMonitors,
//! ResourceClaimTemplates, and `extraObjects`.

use crate::error::Diagnostic;
use crate::objects::dra::ResourceClaimTemplate;
use crate::objects::leader_worker_set::{EXCLUSIVE_TOPOLOGY_ANNOTATION, LeaderWorkerSet};
use crate::objects::pod_monitor::PodMonitor;
use crate::yaml::{Mapping, Node, Value};

use super::pod::{self, Role, claim_config};
use super::tpl::render_tree;
use super::{Chart, go_text, printed, truthy};

const SERVER_PATCH_ANNOTATION: &str = "dual-pod.llm-d.ai/server-patch";
const ADMIN_PORT_ANNOTATION: &str = "dual-pod.llm-d.ai/admin-port";
const WARNING_ANNOTATION: &str = "llm-d.ai/accelerator-warning";

fn map_node(m: Mapping) -> Node {
    Node::synth(Value::Map(m))
}

pub(crate) fn objects(chart: &Chart) -> Result<Vec<Node>, Diagnostic> {
    let mut out = Vec::new();
    if !truthy(chart.get(&["serviceAccountOverride"]))
        && (truthy(chart.get(&["prefill"])) || truthy(chart.get(&["decode"])))
    {
        out.push(Node::from_pairs([
            ("apiVersion", Node::string("v1")),
            ("kind", Node::string("ServiceAccount")),
            (
                "metadata",
                Node::from_pairs([
                    ("name", super::reread(&chart.service_account_name())),
                    ("labels", map_node(chart.labels())),
                ]),
            ),
        ]));
    }
    let multinode = truthy(chart.get(&["multinode"]));
    for name in ["decode", "prefill"] {
        let role = Role::new(chart, name);
        if !role.is("create") {
            continue;
        }
        if multinode {
            out.push(leader_worker_set(chart, &role)?);
        } else if name == "decode" && truthy(chart.get(&["requester", "enable"])) {
            out.push(requester(chart, &role)?);
        } else {
            out.push(deployment(chart, &role)?);
        }
    }
    for name in ["decode", "prefill"] {
        let role = Role::new(chart, name);
        if role.is("create")
            && truthy(
                role.get("monitoring")
                    .and_then(|m| m.get("podmonitor"))
                    .and_then(|p| p.get("enabled")),
            )
        {
            out.push(pod_monitor(chart, &role));
        }
    }
    for name in ["decode", "prefill"] {
        let role = Role::new(chart, name);
        if role.is("create") && role.dra(chart) {
            out.extend(claim_template(chart, &role)?);
        }
    }
    if let Some(extra) = chart.get(&["extraObjects"]).and_then(Node::as_seq) {
        for (i, item) in extra.iter().enumerate() {
            out.push(render_tree(
                chart,
                item,
                &format!("extraObjects[{i}]"),
                &[],
            )?);
        }
    }
    Ok(out)
}

fn workload_name(chart: &Chart, role: &Role) -> String {
    format!("{}-{}", chart.fullname, role.name)
}

fn replicas(role: &Role) -> Node {
    match role.get("replicas") {
        Some(r) => printed(r),
        None => Node::int(1),
    }
}

/// `ROLE.annotations` plus the accelerator warning.
fn annotations(chart: &Chart, role: &Role, first: Mapping) -> Result<Mapping, Diagnostic> {
    let mut m = first;
    if let Some(a) = role
        .get("annotations")
        .filter(|n| truthy(Some(n)))
        .and_then(Node::as_map)
    {
        m.extend(a.clone());
    }
    if let Some(w) = pod::accelerator_warning(chart, role)? {
        m.insert(WARNING_ANNOTATION.into(), Node::string(w));
    }
    Ok(m)
}

fn metadata(name: String, labels: Mapping, annotations: Mapping) -> Node {
    let mut m = Mapping::new();
    m.insert("name".into(), super::reread(&name));
    if !labels.is_empty() {
        m.insert("labels".into(), map_node(labels));
    }
    if !annotations.is_empty() {
        m.insert("annotations".into(), map_node(annotations));
    }
    map_node(m)
}

fn insert_if(spec: &mut Mapping, key: &str, value: Option<Node>) {
    if let Some(v) = value {
        spec.insert(key.into(), v);
    }
}

fn has_key_printed(role: &Role, key: &str) -> Option<Node> {
    role.has(key)
        .then(|| role.get(key).map_or_else(Node::null, printed))
}

fn truthy_clone(role: &Role, key: &str) -> Option<Node> {
    role.get(key).filter(|n| truthy(Some(n))).cloned()
}

fn deployment(chart: &Chart, role: &Role) -> Result<Node, Diagnostic> {
    let mut spec = Mapping::new();
    if role.name == "decode" {
        insert_if(
            &mut spec,
            "nodeSelector",
            truthy_clone(role, "nodeSelector"),
        );
    }
    insert_if(
        &mut spec,
        "initContainers",
        pod::init_containers(chart, role)?,
    );
    insert_if(
        &mut spec,
        "enableServiceLinks",
        has_key_printed(role, "enableServiceLinks"),
    );
    insert_if(
        &mut spec,
        "terminationGracePeriodSeconds",
        has_key_printed(role, "terminationGracePeriodSeconds"),
    );
    pod::model_pod(chart, role, &mut spec)?;
    if role.name == "prefill" {
        insert_if(
            &mut spec,
            "nodeSelector",
            truthy_clone(role, "nodeSelector"),
        );
    }
    insert_if(&mut spec, "containers", pod::containers(chart, role)?);
    insert_if(&mut spec, "tolerations", truthy_clone(role, "tolerations"));

    let mut pod_meta = Mapping::new();
    pod_meta.insert("labels".into(), map_node(chart.role_labels(role.name)));
    insert_if(
        &mut pod_meta,
        "annotations",
        truthy_clone(role, "podAnnotations"),
    );
    let mut dspec = Mapping::new();
    dspec.insert("replicas".into(), replicas(role));
    insert_if(&mut dspec, "strategy", truthy_clone(role, "strategy"));
    dspec.insert(
        "selector".into(),
        Node::from_pairs([("matchLabels", map_node(chart.role_labels(role.name)))]),
    );
    dspec.insert(
        "template".into(),
        Node::from_pairs([("metadata", map_node(pod_meta)), ("spec", map_node(spec))]),
    );
    Ok(Node::from_pairs([
        ("apiVersion", Node::string("apps/v1")),
        ("kind", Node::string("Deployment")),
        (
            "metadata",
            metadata(
                workload_name(chart, role),
                chart.labels(),
                annotations(chart, role, Mapping::new())?,
            ),
        ),
        ("spec", map_node(dspec)),
    ]))
}

fn leader_worker_set(chart: &Chart, role: &Role) -> Result<Node, Diagnostic> {
    let exclusive = role.is("subGroupExclusiveTopology");
    let topology = || {
        let mut m = Mapping::new();
        if exclusive {
            m.insert(
                EXCLUSIVE_TOPOLOGY_ANNOTATION.into(),
                Node::string("kubernetes.io/hostname"),
            );
        }
        m
    };
    let mut spec = Mapping::new();
    insert_if(&mut spec, "hostIPC", has_key_printed(role, "hostIPC"));
    insert_if(&mut spec, "hostPID", has_key_printed(role, "hostPID"));
    insert_if(
        &mut spec,
        "initContainers",
        pod::init_containers(chart, role)?,
    );
    insert_if(
        &mut spec,
        "enableServiceLinks",
        has_key_printed(role, "enableServiceLinks"),
    );
    insert_if(
        &mut spec,
        "terminationGracePeriodSeconds",
        has_key_printed(role, "terminationGracePeriodSeconds"),
    );
    pod::model_pod(chart, role, &mut spec)?;
    insert_if(&mut spec, "containers", pod::containers(chart, role)?);
    insert_if(
        &mut spec,
        "nodeSelector",
        truthy_clone(role, "nodeSelector"),
    );
    insert_if(&mut spec, "tolerations", truthy_clone(role, "tolerations"));

    let mut labels = chart.labels();
    labels.extend(chart.role_labels(role.name));
    let mut pod_annotations = topology();
    if let Some(a) = role
        .get("podAnnotations")
        .filter(|n| truthy(Some(n)))
        .and_then(Node::as_map)
    {
        pod_annotations.extend(a.clone());
    }
    let autoscaled = truthy(role.get("autoscaling").and_then(|a| a.get("enabled")));
    let lws = LeaderWorkerSet {
        name: workload_name(chart, role),
        labels,
        annotations: annotations(chart, role, topology())?,
        replicas: (!autoscaled).then(|| replicas(role)),
        size: role.workers()?,
        sub_group_policy: truthy_clone(role, "subGroupPolicy"),
        pod_labels: chart.role_labels(role.name),
        pod_annotations,
        pod_spec: map_node(spec),
    };
    Ok(lws.to_node())
}

fn pod_monitor(chart: &Chart, role: &Role) -> Node {
    let pm = role.get("monitoring").and_then(|m| m.get("podmonitor"));
    let get = |k: &str| pm.and_then(|p| p.get(k)).filter(|n| truthy(Some(n)));
    let or = |k: &str, d: &str| get(k).map_or_else(|| Node::string(d), printed);
    let mut labels = chart.labels();
    labels.insert(
        "app.kubernetes.io/component".into(),
        Node::string(role.name),
    );
    if let Some(l) = get("labels").and_then(Node::as_map) {
        labels.extend(l.clone());
    }
    let mut endpoint = Mapping::new();
    endpoint.insert(
        "port".into(),
        Node::string(get("portName").map_or_else(|| "metrics".to_string(), go_text)),
    );
    endpoint.insert("path".into(), or("path", "/metrics"));
    endpoint.insert("interval".into(), or("interval", "30s"));
    insert_if(
        &mut endpoint,
        "scrapeTimeout",
        get("scrapeTimeout").map(printed),
    );
    insert_if(&mut endpoint, "relabelings", get("relabelings").cloned());
    insert_if(
        &mut endpoint,
        "metricRelabelings",
        get("metricRelabelings").cloned(),
    );
    PodMonitor {
        name: format!("{}-podmonitor", workload_name(chart, role)),
        namespace: Some(chart.namespace.clone()),
        labels,
        annotations: get("annotations")
            .and_then(Node::as_map)
            .cloned()
            .unwrap_or_default(),
        selector: chart.role_labels(role.name),
        endpoint,
        namespace_selector: get("namespaceSelector").cloned(),
    }
    .to_node()
}

fn claim_template(chart: &Chart, role: &Role) -> Result<Option<Node>, Diagnostic> {
    let ty = role.accelerator_type(chart);
    let Some(config) = claim_config(chart, &ty).filter(|c| truthy(Some(c))) else {
        return Ok(None);
    };
    let cfg = |k: &str| config.get(k);
    let name = match cfg("name") {
        Some(n) => format!("{}-{}", go_text(n), role.name),
        None => format!("{ty}-{}-claim-template", role.name),
    };
    let count = match cfg("count") {
        Some(c) => printed(c),
        None => Node::int(role.accelerators()?),
    };
    let or = |k: &str, d: String| {
        cfg(k)
            .filter(|n| truthy(Some(n)))
            .map_or_else(|| Node::string(d), printed)
    };
    let mut labels = chart.labels();
    labels.insert("llm-d.ai/role".into(), Node::string(role.name));
    Ok(Some(
        ResourceClaimTemplate {
            name,
            labels,
            request: ty.clone(),
            allocation: cfg("match")
                .filter(|n| truthy(Some(n)))
                .map_or_else(|| "exactly".to_string(), go_text),
            device_class: or("class", format!("gpu.{ty}.com")),
            count,
            selectors: cfg("selectors").filter(|n| truthy(Some(n))).cloned(),
        }
        .to_node(),
    ))
}

/// The requester's dual-pod ReplicaSet: the requester container runs in
/// the pod; the model server's pod spec travels in an annotation.
fn requester(chart: &Chart, role: &Role) -> Result<Node, Diagnostic> {
    let rq = |p: &[&str]| {
        let mut full = vec!["requester"];
        full.extend_from_slice(p);
        chart.get(&full)
    };
    let pr = |p: &[&str]| rq(p).map_or_else(Node::null, printed);
    let text = |p: &[&str]| rq(p).map(go_text).unwrap_or_default();

    let name = chart
        .get(&["modelArtifacts", "name"])
        .map(go_text)
        .unwrap_or_default();
    let mut parts = name.split('/');
    let repo = parts.next().map_or_else(Node::null, Node::string);
    let reg = parts.next().map_or_else(Node::null, Node::string);
    let mut patch_spec = Mapping::new();
    insert_if(
        &mut patch_spec,
        "initContainers",
        pod::init_containers(chart, role)?,
    );
    insert_if(&mut patch_spec, "containers", pod::containers(chart, role)?);
    let patch = Node::from_pairs([
        (
            "metadata",
            Node::from_pairs([(
                "labels",
                Node::from_pairs([
                    ("model-reg", reg),
                    ("model-repo", repo),
                    ("app", Node::null()),
                ]),
            )]),
        ),
        ("spec", map_node(patch_spec)),
    ]);
    let mut annotations = Mapping::new();
    annotations.insert(
        ADMIN_PORT_ANNOTATION.into(),
        Node::string(text(&["adminPort"])),
    );
    annotations.insert(
        SERVER_PATCH_ANNOTATION.into(),
        Node::string(crate::yaml::print::to_string(&patch)),
    );

    let env = |n: &str, v: String| {
        Node::from_pairs([("name", Node::string(n)), ("value", Node::string(v))])
    };
    let port =
        |n: &str, v: Node| Node::from_pairs([("name", Node::string(n)), ("containerPort", v)]);
    let server = Node::from_pairs([
        ("name", Node::string("inference-server")),
        ("image", pr(&["image"])),
        ("imagePullPolicy", Node::string("Always")),
        ("command", Node::seq(vec![Node::string("/app/requester")])),
        (
            "env",
            Node::seq(vec![
                env("PROBES_PORT", text(&["port", "probes"])),
                env("SPI_PORT", text(&["port", "spi"])),
            ]),
        ),
        (
            "ports",
            Node::seq(vec![
                port("probes", pr(&["port", "probes"])),
                port("spi", pr(&["port", "spi"])),
            ]),
        ),
        (
            "readinessProbe",
            Node::from_pairs([
                (
                    "httpGet",
                    Node::from_pairs([
                        ("path", Node::string("/ready")),
                        ("port", pr(&["port", "probes"])),
                    ]),
                ),
                (
                    "initialDelaySeconds",
                    pr(&["readinessProbe", "initialDelaySeconds"]),
                ),
                ("periodSeconds", pr(&["readinessProbe", "periodSeconds"])),
            ]),
        ),
        (
            "resources",
            Node::from_pairs([(
                "limits",
                Node::from_pairs([
                    ("nvidia.com/gpu", pr(&["resources", "limits", "gpus"])),
                    ("cpu", pr(&["resources", "limits", "cpus"])),
                    ("memory", pr(&["resources", "limits", "memory"])),
                ]),
            )]),
        ),
    ]);
    let app = || Node::from_pairs([("app", Node::string("dp-app"))]);
    Ok(Node::from_pairs([
        ("apiVersion", Node::string("apps/v1")),
        ("kind", Node::string("ReplicaSet")),
        (
            "metadata",
            Node::from_pairs([("name", super::reread(&workload_name(chart, role)))]),
        ),
        (
            "spec",
            Node::from_pairs([
                ("replicas", replicas(role)),
                ("selector", Node::from_pairs([("matchLabels", app())])),
                (
                    "template",
                    Node::from_pairs([
                        (
                            "metadata",
                            Node::from_pairs([
                                ("labels", app()),
                                ("annotations", map_node(annotations)),
                            ]),
                        ),
                        (
                            "spec",
                            Node::from_pairs([("containers", Node::seq(vec![server]))]),
                        ),
                    ]),
                ),
            ]),
        ),
    ]))
}
