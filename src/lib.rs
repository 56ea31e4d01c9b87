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
pub mod epp_config;
pub mod error;
pub mod explain;
pub mod fit;
#[doc(hidden)]
pub mod fuzzing;
pub mod gotemplate;
pub mod hardware;
pub mod helm;
pub mod images;
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
fn render_each<M: Send + DropObject>(
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

    let file_bases = FileBases::read(&inputs.model_services, &req.options.file_root);
    let mut resolver = Resolver::new(
        &inputs.base_configs,
        &base_inputs.base_configs,
        &req.presets,
    )?;
    resolver.add_file_bases(&file_bases.configs)?;
    resolver.invalid = std::mem::take(&mut inputs.other_config_maps);
    warnings.extend(check_unique(&inputs.model_services, &req.options)?);

    // Resolving compiles each BaseConfig once, in order; the renders that
    // use them are independent and run on all CPUs.
    let jobs: Vec<_> = inputs
        .model_services
        .iter()
        .zip(&file_bases.own)
        .map(|(ms, own)| {
            let mut w = Vec::new();
            let resolved = own
                .clone()
                .and_then(|own| {
                    resolver.for_model_service(ms, own.as_deref(), &req.options, &mut w)
                })
                .and_then(|base| Ok((base, ms.settings.options(&req.options)?)));
            (ms, resolved, w)
        })
        .collect();
    let results = parallel::map(&jobs, req.options.jobs, |(ms, resolved, w)| {
        let mut w = w.clone();
        let result = resolved.clone().and_then(|(base, opts)| {
            let m = render::render_model_service(ms, &base, &opts, &mut w);
            // Positions inside a built-in preset are told against the
            // ModelService, the file the user has.
            w = std::mem::take(&mut w)
                .into_iter()
                .map(|d| preset::blame_model_service(d, ms, &base))
                .collect();
            let m = m.map_err(|d| preset::blame_model_service(d, ms, &base))?;
            let keys: Vec<_> = m
                .objects
                .iter()
                .map(|o| (ObjectKey::of(o), o.span.clone(), shareable(o)))
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
    for (m, i) in check_distinct_objects(&manifests)?.into_iter().rev() {
        manifests[m].manifest.drop_object(i);
    }
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
        && !annotations::is_cluster_role_name(cr)
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

/// Two ModelServices with one name in one namespace would fight over
/// objects: an error. One `routing.modelName` (or pod label) twice in one
/// namespace makes their routes and pools overlap; the controller deployed
/// it, so it is a warning (an error with `--strict`).
fn check_unique(
    list: &[modelservice::ModelService],
    opts: &RenderOptions,
) -> Result<Vec<Diagnostic>, Error> {
    let mut names: HashMap<(String, &str), &modelservice::ModelService> = HashMap::new();
    let mut models: HashMap<(String, String), &modelservice::ModelService> = HashMap::new();
    let mut warnings = Vec::new();
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
        let label = naming::ModelLabel::of(&ms.routing.model_name).label;
        if let Some(first) = models.insert((ns.clone(), label.clone()), ms) {
            let same = if first.routing.model_name == ms.routing.model_name {
                format!("both serve modelName `{}`", ms.routing.model_name)
            } else {
                format!(
                    "serve modelNames `{}` and `{}`, which share the pod label `llm-d.ai/model: {label}`",
                    first.routing.model_name, ms.routing.model_name
                )
            };
            warnings.push(
                Diagnostic::new(
                    Stage::Resolve,
                    ms.routing.model_name_span.clone(),
                    format!(
                        "routing conflict: ModelServices `{}` ({}) and `{}` {same} in namespace `{ns}`: their InferencePools select each other's pods and the gateway cannot tell their routes apart",
                        first.name, first.routing.model_name_span, ms.name
                    ),
                )
                .with_path("spec.routing.modelName")
                .with_help("give each ModelService in a namespace its own routing.modelName"),
            );
        }
    }
    Ok(warnings)
}

/// One ModelService rendered, with what the checks across ModelServices need.
struct Done<M> {
    namespace: String,
    name: String,
    /// Each object's identity, position, and for a ConfigMap its content
    /// apart from the ModelService's label.
    keys: Vec<(ObjectKey, Span, Option<String>)>,
    manifest: M,
}

/// A manifest a shared object can be dropped from.
trait DropObject {
    fn drop_object(&mut self, i: usize);
}

impl DropObject for Manifest {
    fn drop_object(&mut self, i: usize) {
        self.objects.remove(i);
    }
}

impl DropObject for PrintedManifest {
    fn drop_object(&mut self, i: usize) {
        self.objects.remove(i);
    }
}

/// A ConfigMap's content without the `llm-d.ai/model-service` label: two
/// ModelServices sharing a BaseConfig render its `configMaps` alike.
fn shareable(obj: &yaml::Node) -> Option<String> {
    if objects::ObjectExt::kind(obj) != "ConfigMap" {
        return None;
    }
    let mut obj = obj.clone();
    obj.remove_path(&["metadata", "labels", objects::LABEL_MODEL_SERVICE]);
    Some(yaml::print::to_string(&obj))
}

/// One object rendered for two ModelServices would be applied twice with
/// different owners. A ConfigMap rendered alike (a shared BaseConfig's
/// `configMaps`) is emitted once, with the first ModelService; anything
/// else (different content, or `x`'s `x-epp-sa` and `x-epp`'s `x-epp-sa`)
/// is refused, naming both. Returns the (manifest, object) positions to
/// drop, in order.
fn check_distinct_objects<M>(done: &[Done<M>]) -> Result<Vec<(usize, usize)>, Error> {
    let mut seen: HashMap<&ObjectKey, (&str, &Option<String>)> = HashMap::new();
    let mut drop = Vec::new();
    for (mi, m) in done.iter().enumerate() {
        for (oi, (key, span, content)) in m.keys.iter().enumerate() {
            if let Some(&(first, first_content)) = seen.get(key) {
                if first != m.name && content.is_some() && content == first_content {
                    drop.push((mi, oi));
                    continue;
                }
                let differ = if content.is_some() && first != m.name {
                    " with different content"
                } else {
                    ""
                };
                return Err(Error::input(
                    Diagnostic::new(
                        Stage::Build,
                        span.clone(),
                        format!(
                            "ModelServices `{first}` and `{}` both render {} `{}` in namespace `{}`{differ}",
                            m.name, key.kind, key.name, key.namespace
                        ),
                    )
                    .with_help(if first == m.name {
                        "an object appears twice in one ModelService's render; check the BaseConfig's configMaps".to_string()
                    } else if content.is_some() {
                        "a ConfigMap two ModelServices share must render alike for both; or name it per ModelService, e.g. `{{ .ModelServiceName }}-config`".to_string()
                    } else {
                        format!(
                            "rename one ModelService (names derived from `{first}` and `{}` collide), or give shared ConfigMaps to one BaseConfig only",
                            m.name
                        )
                    }),
                ));
            }
            seen.insert(key, (&m.name, content));
        }
    }
    Ok(drop)
}

/// Where an input BaseConfig serves: `Some(ns)` only ModelServices that
/// look it up in `ns`, `None` (no `metadata.namespace`, a `-b` file, a
/// preset) every namespace.
type BaseKey = (Option<String>, String);

/// What the `msvc.llm-d.ai/preset` and `msvc.llm-d.ai/baseconfig`
/// annotations of the ModelServices name: their BaseConfig files, each
/// read once, and per ModelService the layers it asks for.
struct FileBases {
    configs: Vec<BaseConfig>,
    /// Per ModelService, in order: the presets or BaseConfigs its
    /// annotations name (`None`: none), or why they cannot be used.
    own: Vec<Result<Option<Vec<String>>, Diagnostic>>,
}

impl FileBases {
    fn read(list: &[modelservice::ModelService], root: &annotations::FileRoot) -> Self {
        let mut configs: Vec<BaseConfig> = Vec::new();
        let mut read: HashMap<Arc<str>, Vec<String>> = HashMap::new();
        let own = list
            .iter()
            .map(|ms| {
                let settings = &ms.settings;
                if settings.base_files.is_empty() {
                    return Ok(Some(settings.presets.clone()).filter(|p| !p.is_empty()));
                }
                let mut names = Vec::new();
                for src in settings.read_base_files(root, &ms.span.file)? {
                    if let Some(known) = read.get(&src.name) {
                        names.extend(known.iter().cloned());
                        continue;
                    }
                    let found =
                        load::classify(std::slice::from_ref(&src)).map_err(first_diagnostic)?;
                    let at = settings.span(annotations::BASECONFIG);
                    if let Some((_, d)) = found.other_config_maps.into_iter().next() {
                        return Err(d);
                    }
                    if !found.model_services.is_empty() || found.base_configs.is_empty() {
                        return Err(Diagnostic::new(
                            Stage::Resolve,
                            at,
                            format!("`{}` holds no BaseConfig", src.name),
                        )
                        .with_path(format!("metadata.annotations.{}", annotations::BASECONFIG))
                        .with_help("name files that hold BaseConfig ConfigMaps"));
                    }
                    let these: Vec<String> =
                        found.base_configs.iter().map(|b| b.name.clone()).collect();
                    names.extend(these.iter().cloned());
                    read.insert(src.name.clone(), these);
                    configs.extend(found.base_configs);
                }
                Ok(Some(names))
            })
            .collect();
        FileBases { configs, own }
    }
}

/// Finds and compiles (once each) the BaseConfig every ModelService uses.
struct Resolver<'a> {
    named: HashMap<BaseKey, &'a BaseConfig>,
    /// Input ConfigMaps that are not valid BaseConfigs; an error once named.
    invalid: Vec<(String, Diagnostic)>,
    named_invalid: std::collections::HashSet<String>,
    presets: Vec<BaseConfig>,
    explicit: Option<Vec<String>>,
    /// The one `-b` file (without `--preset`): it stands in for a
    /// BaseConfig a ModelService names that the inputs do not hold, as the
    /// controller's `generate -m -b` used it whatever its name.
    base_file: Option<&'a BaseConfig>,
    compiled: HashMap<BaseKey, Arc<CompiledBase>>,
    found: Vec<String>,
}

impl<'a> Resolver<'a> {
    fn new(
        inputs: &'a [BaseConfig],
        base_files: &'a [BaseConfig],
        presets: &[String],
    ) -> Result<Self, Error> {
        let mut named: HashMap<BaseKey, &'a BaseConfig> = HashMap::new();
        let mut found = Vec::new();
        let keyed = inputs
            .iter()
            .map(|b| (b.namespace.clone(), b))
            .chain(base_files.iter().map(|b| (None, b)));
        for (ns, b) in keyed {
            found.push(match &ns {
                Some(ns) => format!("{}/{}", ns, b.name),
                None => b.name.clone(),
            });
            if let Some(first) = named.insert((ns, b.name.clone()), b) {
                return Err(Error::input(
                    Diagnostic::new(
                        Stage::Resolve,
                        b.span.clone(),
                        format!(
                            "BaseConfig `{}` is defined twice (first at {})",
                            b.name, first.span
                        ),
                    )
                    .with_help("keep one of them, or give them different namespaces"),
                ));
            }
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
            base_file: if presets.is_empty() {
                base_files.first()
            } else {
                None
            },
            compiled: HashMap::new(),
            found,
        })
    }

    /// Adds the BaseConfigs of `msvc.llm-d.ai/baseconfig` files. One that is
    /// also an input (`msvc render .` reads the file the annotation names)
    /// is the same BaseConfig, not a second one.
    fn add_file_bases(&mut self, list: &'a [BaseConfig]) -> Result<(), Error> {
        let same_file = |a: &Span, b: &Span| {
            let canon = |s: &Span| std::fs::canonicalize(&*s.file).ok();
            a.line == b.line && canon(a).is_some() && canon(a) == canon(b)
        };
        for b in list {
            if self
                .named
                .values()
                .any(|first| first.name == b.name && same_file(&first.span, &b.span))
            {
                continue;
            }
            let key = (b.namespace.clone(), b.name.clone());
            match self.named.get(&key) {
                Some(first) => return Err(defined_twice(b, first)),
                None => {
                    self.found.push(match &b.namespace {
                        Some(ns) => format!("{}/{}", ns, b.name),
                        None => b.name.clone(),
                    });
                    self.named.insert(key, b);
                }
            }
        }
        Ok(())
    }

    /// The namespace a ModelService looks its BaseConfig up in:
    /// `baseConfigMapRef.namespace`, else its own.
    fn lookup_namespace(ms: &modelservice::ModelService, opts: &RenderOptions) -> String {
        ms.base_config_namespace
            .clone()
            .unwrap_or_else(|| namespace_of(ms, opts))
    }

    /// Whether the inputs (not `-b`, not presets) hold a BaseConfig (valid
    /// or not) of that name for namespace `ns`.
    fn in_inputs(&self, name: &str, ns: &str) -> bool {
        let is_file = |b: &&BaseConfig| self.base_file.is_some_and(|f| std::ptr::eq(f, *b));
        self.named
            .get(&(Some(ns.to_string()), name.to_string()))
            .or_else(|| self.named.get(&(None, name.to_string())))
            .is_some_and(|b| !is_file(b))
            || self.invalid.iter().any(|(n, _)| n == name)
    }

    /// The BaseConfig stack of `ms`. `own` is what its annotations name:
    /// it must agree with --preset and -b when those are given too.
    fn for_model_service(
        &mut self,
        ms: &modelservice::ModelService,
        own: Option<&[String]>,
        opts: &RenderOptions,
        warnings: &mut Vec<Diagnostic>,
    ) -> Result<BaseStack, Diagnostic> {
        if let (Some(own), Some(explicit)) = (own, &self.explicit)
            && own != explicit.as_slice()
        {
            let key = if ms.settings.presets.is_empty() {
                annotations::BASECONFIG
            } else {
                annotations::PRESET
            };
            let (flag, given) = if self.presets.is_empty() {
                ("-b", format!("(BaseConfig {})", explicit.join(", ")))
            } else {
                ("--preset", explicit.join(" --preset "))
            };
            return Err(ms.settings.conflict(key, &own.join(","), flag, &given));
        }
        let explicit = own
            .map(<[String]>::to_vec)
            .or_else(|| self.explicit.clone());
        let ns = Self::lookup_namespace(ms, opts);
        // A ModelService naming a BaseConfig the inputs lack takes the one
        // -b file, as `generate -m MS -b FILE` did.
        let stand_in = match (&ms.base_config, self.base_file.filter(|_| own.is_none())) {
            (Some((name, span)), Some(file))
                if *name != file.name && !self.in_inputs(name, &ns) =>
            {
                warnings.push(
                    Diagnostic::new(
                        Stage::Resolve,
                        span.clone(),
                        format!(
                            "ModelService `{}` names BaseConfig `{name}`, which is not among the inputs; the -b file's BaseConfig `{}` ({}) is used instead, as the controller's `generate -b` did",
                            ms.name, file.name, file.span
                        ),
                    )
                    .with_path("spec.baseConfigMapRef.name")
                    .with_help(format!(
                        "set spec.baseConfigMapRef.name to `{}`, or rename the -b file's ConfigMap to `{name}`",
                        file.name
                    )),
                );
                Some(file.name.clone())
            }
            _ => None,
        };
        if let (None, Some((name, span)), Some(explicit)) = (&stand_in, &ms.base_config, &explicit)
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
                .with_help("--preset, -b and the msvc.llm-d.ai/preset and msvc.llm-d.ai/baseconfig annotations are for ModelServices that name no BaseConfig; remove baseConfigMapRef to use them"),
            );
        }
        // Names given on the command line (-b, --preset) are not looked up
        // among the namespaced inputs; those of the ModelService's own
        // annotations and baseConfigMapRef are.
        let (names, from_ref): (Vec<String>, bool) = match (stand_in, &ms.base_config, explicit) {
            (Some(file), _, _) => (vec![file], false),
            (None, Some((name, _)), _) => (vec![name.clone()], true),
            (None, None, Some(explicit)) => (explicit, own.is_some()),
            (None, None, None) => (
                vec![preset::default_for(&ms.artifacts.model_uri).to_string()],
                false,
            ),
        };
        let mut layers = Vec::new();
        for name in names {
            layers.push(self.compiled(&name, from_ref.then_some(ns.as_str()), ms)?);
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
            layers.insert(0, self.compiled(&hw, None, ms)?);
        }
        let stack = BaseStack { layers };
        fit::check_schemes(ms, &stack)?;
        Ok(stack)
    }

    /// The BaseConfig `name` as seen from namespace `ns`: an input
    /// BaseConfig of that namespace, else one of no namespace (or a `-b`
    /// file), else a preset. Without `ns`, namespaced inputs are not
    /// looked at.
    fn compiled(
        &mut self,
        name: &str,
        ns: Option<&str>,
        ms: &modelservice::ModelService,
    ) -> Result<Arc<CompiledBase>, Diagnostic> {
        let own = ns.map(|ns| (Some(ns.to_string()), name.to_string()));
        let key = match own {
            Some(own) if self.named.contains_key(&own) => own,
            _ => (None, name.to_string()),
        };
        if let Some(c) = self.compiled.get(&key) {
            return Ok(Arc::clone(c));
        }
        if let Some((n, d)) = self.invalid.iter().find(|(n, _)| n == name) {
            self.named_invalid.insert(n.clone());
            return Err(d.clone());
        }
        let base = match self.named.get(&key) {
            Some(b) => (*b).clone(),
            None => match self.presets.iter().find(|p| p.name == name) {
                Some(p) => p.clone(),
                None if preset::get(name).is_some() => {
                    load_preset(name).map_err(first_diagnostic)?
                }
                None => return Err(self.not_found(name, ns.unwrap_or_default(), ms)),
            },
        };
        let compiled = Arc::new(base.compile()?);
        self.compiled.insert(key, Arc::clone(&compiled));
        Ok(compiled)
    }

    fn not_found(&self, name: &str, ns: &str, ms: &modelservice::ModelService) -> Diagnostic {
        let span = ms
            .base_config
            .as_ref()
            .map_or(ms.span.clone(), |(_, s)| s.clone());
        // One of that name in another namespace is not used silently.
        let mut elsewhere: Vec<&str> = self
            .named
            .keys()
            .filter(|(_, n)| n == name)
            .filter_map(|(other, _)| other.as_deref())
            .collect();
        elsewhere.sort_unstable();
        if let Some(other) = elsewhere.first() {
            return Diagnostic::new(
                Stage::Resolve,
                span,
                format!(
                    "BaseConfig `{name}` is in namespace {}, not in `{ns}` where ModelService `{}` looks for it",
                    elsewhere
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    ms.name
                ),
            )
            .with_path("spec.baseConfigMapRef")
            .with_help(format!(
                "set spec.baseConfigMapRef.namespace: {other} to use it, or give the BaseConfig namespace `{ns}`"
            ));
        }
        let found = if self.found.is_empty() {
            "no BaseConfig in the inputs".to_string()
        } else {
            format!("BaseConfigs in the inputs: {}", self.found.join(", "))
        };
        Diagnostic::new(
            Stage::Resolve,
            span,
            format!("BaseConfig `{name}` not found ({found})"),
        )
        .with_path("spec.baseConfigMapRef.name")
        .with_help(format!(
            "pass it as an input or with -b, or name a built-in preset: {}",
            preset::names().collect::<Vec<_>>().join(", ")
        ))
    }
}

fn defined_twice(b: &BaseConfig, first: &BaseConfig) -> Error {
    Error::input(
        Diagnostic::new(
            Stage::Resolve,
            b.span.clone(),
            format!(
                "BaseConfig `{}` is defined twice (first at {})",
                b.name, first.span
            ),
        )
        .with_help("keep one of them"),
    )
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
