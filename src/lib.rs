//! msvc: render llm-d ModelServices and BaseConfigs into Kubernetes objects.
//!
//! The pipeline is plain functions over data, one module per stage:
//! [`load`] (read and classify inputs) -> [`template`] (render BaseConfig
//! templates) -> [`merge`] (ModelService over BaseConfig) -> [`objects`]
//! (build each Kubernetes object) -> [`emit`] (stream or directory) and
//! [`diff`] (compare with a previous render). [`render()`] runs it for a
//! set of inputs.

pub mod annotations;
pub mod applyset;
pub mod artifacts;
pub mod baseconfig;
pub mod decode;
pub mod diff;
pub mod emit;
pub mod error;
pub mod explain;
#[doc(hidden)]
pub mod fuzzing;
pub mod gotemplate;
pub mod hardware;
pub mod helm;
pub mod json_schema;
pub mod krm;
pub mod lint;
pub mod load;
pub mod merge;
pub mod modelservice;
pub mod naming;
pub mod objects;
pub mod parallel;
pub mod preset;
pub mod render;
pub mod template;
pub mod yaml;

use std::collections::HashMap;
use std::sync::Arc;

use baseconfig::{BaseConfig, BaseStack, CompiledBase};
use error::{Diagnostic, Error, Span, Stage};
use load::Source;
use objects::{Manifest, ObjectKey, PrintedManifest};
pub use render::RenderOptions;

/// Everything one `msvc render` needs.
#[derive(Clone, Debug, Default)]
pub struct RenderRequest {
    /// ModelServices, and BaseConfigs they may name.
    pub inputs: Vec<Source>,
    /// `-b` files: BaseConfigs.
    pub base_files: Vec<Source>,
    /// `--preset` names, later laid over earlier.
    pub presets: Vec<String>,
    pub options: RenderOptions,
}

/// The rendered objects, one [`Manifest`] (or [`PrintedManifest`]) per
/// ModelService sorted by namespace and name, and the warnings met on the way.
#[derive(Debug)]
pub struct Rendered<M = Manifest> {
    pub manifests: Vec<M>,
    pub warnings: Vec<Diagnostic>,
}

/// Runs the whole pipeline.
pub fn render(req: &RenderRequest) -> Result<Rendered, Error> {
    render_each(req, |m| m)
}

/// Runs the whole pipeline and prints each ModelService's objects as soon
/// as they are rendered, so that memory follows the size of the output,
/// not of the trees behind it.
pub fn render_printed(req: &RenderRequest) -> Result<Rendered<PrintedManifest>, Error> {
    render_each(req, |m| m.print())
}

/// The pipeline, handing each ModelService's manifest to `finish` on the
/// thread that rendered it.
fn render_each<M: Send>(
    req: &RenderRequest,
    finish: impl Fn(Manifest) -> M + Sync,
) -> Result<Rendered<M>, Error> {
    check_options(&req.options)?;
    let mut inputs = load::classify_on(&req.inputs, req.options.jobs)?;
    let base_inputs = load::classify_on(&req.base_files, req.options.jobs)?;
    if let Some(ms) = base_inputs.model_services.first() {
        return Err(Error::input(
            Diagnostic::new(
                Stage::Resolve,
                ms.span.clone(),
                "a ModelService was given as a BaseConfig (-b)",
            )
            .with_help("pass ModelServices as inputs (or with -m), BaseConfigs with -b"),
        ));
    }
    // A -b file is a BaseConfig by intent: it must be valid.
    if let Some((_, d)) = base_inputs.other_config_maps.into_iter().next() {
        return Err(Error::input(d));
    }
    let mut warnings = std::mem::take(&mut inputs.warnings);
    warnings.extend(base_inputs.warnings);

    let mut resolver = Resolver::new(
        &inputs.base_configs,
        &base_inputs.base_configs,
        &req.presets,
    )?;
    resolver.invalid = std::mem::take(&mut inputs.other_config_maps);
    check_unique(&inputs.model_services, &req.options)?;

    // Resolving compiles each BaseConfig once, in order; the renders that
    // use them are independent and run on all CPUs.
    let jobs: Vec<_> = inputs
        .model_services
        .iter()
        .map(|ms| {
            let mut w = Vec::new();
            (ms, resolver.for_model_service(ms, &mut w), w)
        })
        .collect();
    let results = parallel::map(&jobs, req.options.jobs, |(ms, base, w)| {
        let mut w = w.clone();
        let result = base.clone().and_then(|base| {
            let m = render::render_model_service(ms, &base, &req.options, &mut w)?;
            let keys: Vec<_> = m
                .objects
                .iter()
                .map(|o| (ObjectKey::of(o), o.span.clone()))
                .collect();
            Ok(Done {
                namespace: namespace_of(ms, &req.options),
                name: m.name.clone(),
                keys,
                manifest: finish(m),
            })
        });
        (result, w)
    });
    let mut manifests = Vec::new();
    let mut errors = Vec::new();
    for (result, w) in results {
        warnings.extend(w);
        match result {
            Ok(done) => manifests.push(done),
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    for (name, d) in &resolver.invalid {
        if resolver.named_invalid.contains(name) {
            continue;
        }
        warnings.push(
            Diagnostic::new(
                Stage::Resolve,
                d.span.clone(),
                format!("skipping ConfigMap `{name}`: no ModelService names it, and it is not a BaseConfig ({})", d.message),
            )
            .with_help("fine for a ConfigMap of your own; a BaseConfig with a typo shows its error when a ModelService names it"),
        );
    }
    manifests.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    check_distinct_objects(&manifests)?;
    // One BaseConfig slip shows once, not once per ModelService that uses it.
    let mut seen = std::collections::HashSet::new();
    warnings.retain(|w| seen.insert(w.to_string()));
    Ok(Rendered {
        manifests: manifests.into_iter().map(|d| d.manifest).collect(),
        warnings,
    })
}

/// Names given on the command line must be valid where they end up.
fn check_options(opts: &RenderOptions) -> Result<(), Error> {
    let flags = [
        ("--namespace", opts.namespace.as_deref()),
        ("--default-namespace", opts.default_namespace.as_deref()),
    ];
    for (flag, ns) in flags {
        if let Some(ns) = ns {
            let node = yaml::Node::string(ns);
            modelservice::check_dns_label(ns, &node, "").map_err(|d| {
                Error::input(Diagnostic {
                    message: format!("{flag}: {}", d.message),
                    ..d
                })
            })?;
        }
    }
    let secrets = opts.pd_pull_secrets.iter().chain(&opts.epp_pull_secrets);
    if let Some(cr) = opts.epp_cluster_role.as_deref()
        && (cr.is_empty() || cr.contains('/') || cr.chars().any(char::is_whitespace))
    {
        return Err(Error::input(
            Diagnostic::new(
                Stage::Resolve,
                Span::none(),
                format!("--epp-cluster-role: `{cr}` is not a valid ClusterRole name"),
            )
            .with_help("name an existing ClusterRole"),
        ));
    }
    for secret in secrets {
        let node = yaml::Node::string(secret.as_str());
        modelservice::check_dns_subdomain(secret, &node, "").map_err(|d| {
            Error::input(Diagnostic {
                message: format!("pull secret: {}", d.message),
                ..d
            })
        })?;
    }
    Ok(())
}

fn namespace_of(ms: &modelservice::ModelService, opts: &RenderOptions) -> String {
    opts.namespace_for(ms)
}

/// Two ModelServices with one name in one namespace, or one
/// `routing.modelName` twice in one namespace, would fight over objects or
/// routes in the cluster.
fn check_unique(list: &[modelservice::ModelService], opts: &RenderOptions) -> Result<(), Error> {
    let mut names: HashMap<(String, &str), &modelservice::ModelService> = HashMap::new();
    let mut models: HashMap<(String, String), &modelservice::ModelService> = HashMap::new();
    for ms in list {
        let ns = namespace_of(ms, opts);
        if let Some(first) = names.insert((ns.clone(), ms.name.as_str()), ms) {
            return Err(Error::input(
                Diagnostic::new(
                    Stage::Resolve,
                    ms.span.clone(),
                    format!(
                        "ModelService `{}` in namespace `{ns}` is defined twice (first at {})",
                        ms.name, first.span
                    ),
                )
                .with_help("rename one of them or put it in another namespace"),
            ));
        }
        // Pods are selected by the sanitized name: two names that sanitize
        // alike would select each other's pods.
        let label = naming::sanitize(&ms.routing.model_name);
        if let Some(first) = models.insert((ns.clone(), label.clone()), ms) {
            let same = if first.routing.model_name == ms.routing.model_name {
                format!("both serve modelName `{}`", ms.routing.model_name)
            } else {
                format!(
                    "serve modelNames `{}` and `{}`, which share the pod label `llm-d.ai/model: {label}`",
                    first.routing.model_name, ms.routing.model_name
                )
            };
            return Err(Error::input(
                Diagnostic::new(
                    Stage::Resolve,
                    ms.routing.model_name_span.clone(),
                    format!(
                        "routing conflict: ModelServices `{}` ({}) and `{}` {same} in namespace `{ns}`",
                        first.name, first.routing.model_name_span, ms.name
                    ),
                )
                .with_path("spec.routing.modelName")
                .with_help("give each ModelService in a namespace its own routing.modelName"),
            ));
        }
    }
    Ok(())
}

/// One ModelService rendered, with what the checks across ModelServices need.
struct Done<M> {
    namespace: String,
    name: String,
    keys: Vec<(ObjectKey, Span)>,
    manifest: M,
}

/// One object rendered for two ModelServices (a shared `configMaps` entry,
/// or `x`'s `x-epp-sa` and `x-epp`'s `x-epp-sa`) would be applied twice with
/// different owners; refuse it, naming both.
fn check_distinct_objects<M>(done: &[Done<M>]) -> Result<(), Error> {
    let mut seen: HashMap<&ObjectKey, &str> = HashMap::new();
    for m in done {
        for (key, span) in &m.keys {
            if let Some(first) = seen.insert(key, &m.name) {
                return Err(Error::input(
                    Diagnostic::new(
                        Stage::Build,
                        span.clone(),
                        format!(
                            "ModelServices `{first}` and `{}` both render {} `{}` in namespace `{}`",
                            m.name, key.kind, key.name, key.namespace
                        ),
                    )
                    .with_help(if first == m.name {
                        "an object appears twice in one ModelService's render; check the BaseConfig's configMaps".to_string()
                    } else {
                        format!(
                            "rename one ModelService (names derived from `{first}` and `{}` collide), or give shared ConfigMaps to one BaseConfig only",
                            m.name
                        )
                    }),
                ));
            }
        }
    }
    Ok(())
}

/// Finds and compiles (once each) the BaseConfig every ModelService uses.
struct Resolver<'a> {
    named: HashMap<String, &'a BaseConfig>,
    /// Input ConfigMaps that are not valid BaseConfigs; an error once named.
    invalid: Vec<(String, Diagnostic)>,
    named_invalid: std::collections::HashSet<String>,
    presets: Vec<BaseConfig>,
    explicit: Option<Vec<String>>,
    compiled: HashMap<String, Arc<CompiledBase>>,
    found: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn new(
        inputs: &'a [BaseConfig],
        base_files: &'a [BaseConfig],
        presets: &[String],
    ) -> Result<Self, Error> {
        let mut named: HashMap<String, &'a BaseConfig> = HashMap::new();
        let mut found = Vec::new();
        for b in inputs.iter().chain(base_files) {
            if let Some(first) = named.insert(b.name.clone(), b) {
                return Err(Error::input(
                    Diagnostic::new(
                        Stage::Resolve,
                        b.span.clone(),
                        format!(
                            "BaseConfig `{}` is defined twice (first at {})",
                            b.name, first.span
                        ),
                    )
                    .with_help("keep one of them"),
                ));
            }
            found.push(b.name.clone());
        }
        let mut loaded = Vec::new();
        for p in presets {
            loaded.push(load_preset(p)?);
        }
        let explicit = if !presets.is_empty() {
            Some(presets.to_vec())
        } else {
            match base_files {
                [] => None,
                [one] => Some(vec![one.name.clone()]),
                many => {
                    return Err(Error::input(
                        Diagnostic::new(
                            Stage::Resolve,
                            many[1].span.clone(),
                            format!("{} BaseConfigs were given with -b", many.len()),
                        )
                        .with_help("ModelServices that name no BaseConfig need exactly one -b or --preset; others pick theirs with spec.baseConfigMapRef.name"),
                    ));
                }
            }
        };
        Ok(Resolver {
            named,
            invalid: Vec::new(),
            named_invalid: Default::default(),
            presets: loaded,
            explicit,
            compiled: HashMap::new(),
            found,
        })
    }

    fn for_model_service(
        &mut self,
        ms: &modelservice::ModelService,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<BaseStack, Diagnostic> {
        if let (Some((name, span)), Some(explicit)) = (&ms.base_config, &self.explicit)
            && explicit != std::slice::from_ref(name)
        {
            warnings.push(
                Diagnostic::new(
                    Stage::Resolve,
                    span.clone(),
                    format!(
                        "ModelService `{}` names BaseConfig `{name}`, so {} does not apply to it",
                        ms.name,
                        explicit.join(", ")
                    ),
                )
                .with_path("spec.baseConfigMapRef.name")
                .with_help("--preset and -b are for ModelServices that name no BaseConfig; remove baseConfigMapRef to use them"),
            );
        }
        let names: Vec<String> = match (&ms.base_config, &self.explicit) {
            (Some((name, _)), _) => vec![name.clone()],
            (None, Some(explicit)) => explicit.clone(),
            (None, None) => vec![preset::DEFAULT.to_string()],
        };
        let mut layers = Vec::new();
        for name in names {
            layers.push(self.compiled(&name, ms)?);
        }
        if layers.iter().all(|l| l.config.patch_only) {
            let names: Vec<&str> = layers.iter().map(|l| l.config.name.as_str()).collect();
            return Err(Diagnostic::new(
                Stage::Resolve,
                ms.span.clone(),
                format!(
                    "BaseConfig {} only patches objects other layers define (msvc.llm-d.ai/patch-only), so nothing would be rendered",
                    names.join(" + ")
                ),
            )
            .with_help(format!(
                "add a preset that defines the workloads, e.g. --preset {} --preset {}",
                names.join(" --preset "),
                preset::DEFAULT
            )));
        }
        // A hardware-neutral preset stands on its default hardware preset
        // unless a layer of the stack names an accelerator itself.
        if layers.iter().all(|l| l.config.accelerator.is_none())
            && let Some(hw) = layers
                .iter()
                .find_map(|l| l.config.hardware_default.clone())
        {
            layers.insert(0, self.compiled(&hw, ms)?);
        }
        Ok(BaseStack { layers })
    }

    fn compiled(
        &mut self,
        name: &str,
        ms: &modelservice::ModelService,
    ) -> Result<Arc<CompiledBase>, Diagnostic> {
        if let Some(c) = self.compiled.get(name) {
            return Ok(Arc::clone(c));
        }
        if let Some((n, d)) = self.invalid.iter().find(|(n, _)| n == name) {
            self.named_invalid.insert(n.clone());
            return Err(d.clone());
        }
        let base = match self.named.get(name) {
            Some(b) => (*b).clone(),
            None => match self.presets.iter().find(|p| p.name == name) {
                Some(p) => p.clone(),
                None if preset::get(name).is_some() => {
                    load_preset(name).map_err(first_diagnostic)?
                }
                None => {
                    let span = ms
                        .base_config
                        .as_ref()
                        .map_or(ms.span.clone(), |(_, s)| s.clone());
                    let found = if self.found.is_empty() {
                        "no BaseConfig in the inputs".to_string()
                    } else {
                        format!("BaseConfigs in the inputs: {}", self.found.join(", "))
                    };
                    return Err(Diagnostic::new(
                        Stage::Resolve,
                        span,
                        format!("BaseConfig `{name}` not found ({found})"),
                    )
                    .with_path("spec.baseConfigMapRef.name")
                    .with_help(format!(
                        "pass it as an input or with -b, or name a built-in preset: {}",
                        preset::names().collect::<Vec<_>>().join(", ")
                    )));
                }
            },
        };
        let compiled = Arc::new(base.compile()?);
        self.compiled
            .insert(name.to_string(), Arc::clone(&compiled));
        Ok(compiled)
    }
}

fn first_diagnostic(e: Error) -> Diagnostic {
    e.diagnostics()
        .first()
        .cloned()
        .unwrap_or_else(|| Diagnostic::new(Stage::Resolve, Span::none(), e.to_string()))
}

/// Reads a built-in preset as a BaseConfig.
pub fn load_preset(name: &str) -> Result<BaseConfig, Error> {
    let Some(text) = preset::get(name) else {
        return Err(Error::input(preset::unknown(name, Span::none())));
    };
    let src = Source::new(preset::file_name(name), text);
    let inputs = load::classify(std::slice::from_ref(&src))?;
    let mut base = inputs.base_configs.into_iter().next();
    if let Some(b) = &mut base {
        b.builtin = true;
    }
    base.ok_or_else(|| {
        Error::input(Diagnostic::new(
            Stage::Resolve,
            Span::new(src.name.clone(), 1, 1),
            format!("preset `{name}` holds no ConfigMap"),
        ))
    })
}
pub mod accelerator;
pub mod chart;
pub mod parallelism;
pub mod routing_proxy;
pub mod sprig;
pub mod tracing;
pub mod values;
