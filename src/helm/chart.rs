//! A loaded chart as Helm's `chart.Chart`: metadata from Chart.yaml, the
//! default values, the schema, templates, other files, and the subcharts
//! found under `charts/` (folders or `.tgz`), recursively.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::yaml::{Node, Origin, Value as Y, parse_one};

use super::archive::{self, BufferedFile, Limits};
use super::error::HelmError;
use super::values::{Values, read_values};

/// One `dependencies:` entry of Chart.yaml.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dependency {
    pub name: String,
    pub version: String,
    pub repository: String,
    pub condition: String,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Strings (`exports.X`) or `{child, parent}` maps, as written.
    pub import_values: Vec<Value>,
    pub alias: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Maintainer {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// Chart.yaml, with Helm's `Metadata` fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Metadata {
    pub api_version: String,
    pub name: String,
    pub version: String,
    pub kube_version: String,
    pub description: String,
    pub chart_type: String,
    pub keywords: Vec<String>,
    pub home: String,
    pub sources: Vec<String>,
    pub dependencies: Vec<Dependency>,
    pub maintainers: Vec<Maintainer>,
    pub icon: String,
    pub app_version: String,
    pub deprecated: bool,
    pub annotations: Option<BTreeMap<String, String>>,
    pub condition: String,
    pub tags: String,
}

impl Metadata {
    pub fn is_library(&self) -> bool {
        self.chart_type == "library"
    }

    /// `.Chart` as templates see it: Helm's field names, capitalized.
    pub fn to_value(&self, is_root: bool) -> Value {
        let deps: Vec<Value> = self
            .dependencies
            .iter()
            .map(|d| {
                json!({
                    "Name": d.name, "Version": d.version, "Repository": d.repository,
                    "Condition": d.condition, "Tags": d.tags, "Enabled": d.enabled,
                    "ImportValues": d.import_values, "Alias": d.alias,
                })
            })
            .collect();
        let maint: Vec<Value> = self
            .maintainers
            .iter()
            .map(|m| json!({"Name": m.name, "Email": m.email, "URL": m.url}))
            .collect();
        json!({
            "APIVersion": self.api_version,
            "Annotations": self.annotations,
            "AppVersion": self.app_version,
            "Condition": self.condition,
            "Dependencies": deps,
            "Deprecated": self.deprecated,
            "Description": self.description,
            "Home": self.home,
            "Icon": self.icon,
            "IsRoot": is_root,
            "Keywords": self.keywords,
            "KubeVersion": self.kube_version,
            "Maintainers": maint,
            "Name": self.name,
            "Sources": self.sources,
            "Tags": self.tags,
            "Type": self.chart_type,
            "Version": self.version,
        })
    }
}

/// A file of a chart other than Chart.yaml, values and templates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub metadata: Metadata,
    /// values.yaml, documents merged.
    pub values: Values,
    /// values.schema.json as written.
    pub schema: Option<Vec<u8>>,
    /// `templates/...` files, names relative to the chart.
    pub templates: Vec<File>,
    /// Every other file (README, `crds/`, `files/`...): `.Files`.
    pub files: Vec<File>,
    /// Subcharts from `charts/`.
    pub dependencies: Vec<Chart>,
    /// Where it was read from, for messages.
    pub origin: String,
}

impl Chart {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Loads CHART, a directory or a `.tgz`.
    pub fn load(path: &Path, limits: &Limits) -> Result<Chart, HelmError> {
        let files = archive::read_path(path, limits)?;
        Chart::from_files(files, &path.display().to_string(), limits, 0)
    }

    /// Helm's `LoadFiles`: sorts the files into their parts and loads the
    /// subcharts under `charts/` (names starting with `_` or `.` skipped).
    pub fn from_files(
        files: Vec<BufferedFile>,
        origin: &str,
        limits: &Limits,
        depth: usize,
    ) -> Result<Chart, HelmError> {
        if depth > limits.max_depth {
            return Err(HelmError::Limit {
                origin: origin.to_string(),
                limit: format!("{} levels of subcharts", limits.max_depth),
            });
        }
        let Some(chart_yaml) = files.iter().find(|f| f.name == "Chart.yaml") else {
            return Err(HelmError::ChartYaml {
                file: format!("{origin}/Chart.yaml"),
                message: "Chart.yaml file is missing".into(),
            });
        };
        let file_name = format!("{origin}/Chart.yaml");
        let metadata = parse_metadata(&file_name, &text(&file_name, &chart_yaml.data)?)?;
        let mut chart = Chart {
            metadata,
            values: Values::new(),
            schema: None,
            templates: Vec::new(),
            files: Vec::new(),
            dependencies: Vec::new(),
            origin: origin.to_string(),
        };
        let mut subcharts: BTreeMap<String, Vec<BufferedFile>> = BTreeMap::new();
        for f in files {
            match f.name.as_str() {
                "Chart.yaml" | "Chart.lock" | "requirements.lock" => {}
                "values.yaml" => {
                    let name = format!("{origin}/values.yaml");
                    chart.values = read_values(&name, &text(&name, &f.data)?)?;
                }
                "values.schema.json" => chart.schema = Some(f.data),
                n if n.starts_with("templates/") => chart.templates.push(File {
                    name: f.name,
                    data: f.data,
                }),
                n if n.starts_with("charts/") && !n.ends_with(".prov") => {
                    let rest = &n["charts/".len()..];
                    let sub = rest.split('/').next().unwrap_or(rest).to_string();
                    subcharts.entry(sub).or_default().push(BufferedFile {
                        name: rest.to_string(),
                        data: f.data,
                    });
                }
                _ => chart.files.push(File {
                    name: f.name,
                    data: f.data,
                }),
            }
        }
        validate(&chart.metadata, &file_name)?;
        for (n, files) in subcharts {
            if n.starts_with(['_', '.']) {
                continue;
            }
            let sub_origin = format!("{origin}/charts/{n}");
            let sub = if n.ends_with(".tgz") {
                let Some(f) = files.iter().find(|f| f.name == n) else {
                    continue;
                };
                let inner = archive::read_archive(&f.data, &sub_origin, limits)?;
                Chart::from_files(inner, &sub_origin, limits, depth + 1)?
            } else {
                let inner: Vec<BufferedFile> = files
                    .into_iter()
                    .filter_map(|f| {
                        let (_, rest) = f.name.split_once('/')?;
                        Some(BufferedFile {
                            name: rest.to_string(),
                            data: f.data,
                        })
                    })
                    .collect();
                if !inner.iter().any(|f| f.name == "Chart.yaml") {
                    // Helm fails on a folder in charts/ that is no chart.
                    return Err(HelmError::ChartYaml {
                        file: format!("{sub_origin}/Chart.yaml"),
                        message: format!(
                            "error unpacking subchart {n} in {}: Chart.yaml file is missing",
                            chart.metadata.name
                        ),
                    });
                }
                Chart::from_files(inner, &sub_origin, limits, depth + 1)?
            };
            chart.dependencies.push(sub);
        }
        Ok(chart)
    }

    /// `crds/` files of this chart and its subcharts (Helm's
    /// `CRDObjects`): `(output name, text)`.
    pub fn crd_objects(&self, full_path: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for f in &self.files {
            if f.name.starts_with("crds/")
                && [".yaml", ".yml", ".json"]
                    .iter()
                    .any(|e| f.name.ends_with(e))
            {
                out.push((
                    format!("{full_path}/{}", f.name),
                    String::from_utf8_lossy(&f.data).into_owned(),
                ));
            }
        }
        for d in &self.dependencies {
            out.extend(d.crd_objects(&format!("{full_path}/charts/{}", d.name())));
        }
        out
    }
}

fn text(name: &str, data: &[u8]) -> Result<String, HelmError> {
    let t = std::str::from_utf8(data).map_err(|_| HelmError::ChartYaml {
        file: name.to_string(),
        message: "not UTF-8 text".into(),
    })?;
    Ok(t.strip_prefix('\u{feff}').unwrap_or(t).to_string())
}

/// Reads Chart.yaml as Helm does (unknown keys ignored; a scalar where a
/// string belongs is taken as its text, as sigs.k8s.io/yaml does).
pub fn parse_metadata(file: &str, text: &str) -> Result<Metadata, HelmError> {
    let bad = |message: String| HelmError::ChartYaml {
        file: file.to_string(),
        message,
    };
    let node = parse_one(text, &Origin::file(file))
        .map_err(|d| bad(format!("{}:{}: {}", d.span.line, d.span.col, d.message)))?;
    let lines: Vec<&str> = text.lines().collect();
    let node = go_strings(node, &lines);
    let Y::Map(_) = &node.value else {
        return Err(bad(
            "Chart.yaml must be a map of keys (name, version, ...)".into()
        ));
    };
    let s = |key: &str| -> Result<String, HelmError> { string_at(&node, key, file) };
    let list = |key: &str| -> Result<Vec<String>, HelmError> {
        match node.get(key).map(|n| &n.value) {
            None | Some(Y::Null) => Ok(Vec::new()),
            Some(Y::Seq(items)) => items.iter().map(|n| scalar_text(n, key, file)).collect(),
            Some(_) => Err(bad(format!("`{key}` must be a list of strings"))),
        }
    };
    let mut md = Metadata {
        api_version: s("apiVersion")?,
        name: s("name")?,
        version: s("version")?,
        kube_version: s("kubeVersion")?,
        description: s("description")?,
        chart_type: s("type")?,
        keywords: list("keywords")?,
        home: s("home")?,
        sources: list("sources")?,
        icon: s("icon")?,
        app_version: s("appVersion")?,
        deprecated: matches!(
            node.get("deprecated").map(|n| &n.value),
            Some(Y::Bool(true))
        ),
        condition: s("condition")?,
        tags: s("tags")?,
        ..Metadata::default()
    };
    if md.api_version.is_empty() {
        md.api_version = "v1".into();
    }
    if let Some(Y::Map(a)) = node.get("annotations").map(|n| &n.value) {
        let mut out = BTreeMap::new();
        for (k, v) in a {
            out.insert(
                k.clone(),
                scalar_text(v, &format!("annotations.{k}"), file)?,
            );
        }
        md.annotations = Some(out);
    }
    if let Some(Y::Seq(ms)) = node.get("maintainers").map(|n| &n.value) {
        for m in ms {
            md.maintainers.push(Maintainer {
                name: string_at(m, "name", file)?,
                email: string_at(m, "email", file)?,
                url: string_at(m, "url", file)?,
            });
        }
    }
    match node.get("dependencies").map(|n| &n.value) {
        None | Some(Y::Null) => {}
        Some(Y::Seq(ds)) => {
            for (i, d) in ds.iter().enumerate() {
                md.dependencies.push(parse_dependency(d, i, file)?);
            }
        }
        Some(_) => return Err(bad("`dependencies` must be a list".into())),
    }
    Ok(md)
}

fn parse_dependency(d: &Node, i: usize, file: &str) -> Result<Dependency, HelmError> {
    let at = |key: &str| string_at(d, key, file);
    let tags = match d.get("tags").map(|n| &n.value) {
        Some(Y::Seq(items)) => items
            .iter()
            .map(|n| scalar_text(n, &format!("dependencies[{i}].tags"), file))
            .collect::<Result<_, _>>()?,
        _ => Vec::new(),
    };
    let import_values = match d.get("import-values").map(|n| &n.value) {
        Some(Y::Seq(items)) => items
            .iter()
            .map(|n| match &n.value {
                Y::Map(m) => {
                    let mut o = Map::new();
                    for (k, v) in m {
                        o.insert(k.clone(), Value::String(scalar_text(v, k, file)?));
                    }
                    Ok(Value::Object(o))
                }
                _ => scalar_text(n, &format!("dependencies[{i}].import-values"), file)
                    .map(Value::String),
            })
            .collect::<Result<_, HelmError>>()?,
        _ => Vec::new(),
    };
    Ok(Dependency {
        name: at("name")?,
        version: at("version")?,
        repository: at("repository")?,
        condition: at("condition")?,
        tags,
        enabled: matches!(d.get("enabled").map(|n| &n.value), Some(Y::Bool(true))),
        import_values,
        alias: at("alias")?,
    })
}

/// Plain scalars as sigs.k8s.io/yaml gives them to string fields: YAML 1.1
/// (`name: off` is the name "false").
fn go_strings(mut node: Node, lines: &[&str]) -> Node {
    let plain = super::values::is_plain(&node, lines);
    node.value = match node.value {
        Y::String(s) if plain => Y::String(super::values::go_scalar_text(&s).unwrap_or(s)),
        Y::Seq(items) => Y::Seq(items.into_iter().map(|n| go_strings(n, lines)).collect()),
        Y::Map(m) => Y::Map(
            m.into_iter()
                .map(|(k, v)| (k, go_strings(v, lines)))
                .collect(),
        ),
        v => v,
    };
    node
}

fn string_at(node: &Node, key: &str, file: &str) -> Result<String, HelmError> {
    match node.get(key) {
        None => Ok(String::new()),
        Some(n) => scalar_text(n, key, file),
    }
}

fn scalar_text(n: &Node, key: &str, file: &str) -> Result<String, HelmError> {
    Ok(match &n.value {
        Y::Null => String::new(),
        Y::String(s) => s.clone(),
        Y::Bool(b) => b.to_string(),
        Y::Int(i) => i.to_string(),
        // sigs.k8s.io/yaml writes a float into a string field as Go's %g.
        Y::Float(f) => f.to_string(),
        _ => {
            return Err(HelmError::ChartYaml {
                file: file.to_string(),
                message: format!(
                    "{}:{}: `{key}` must be a string, not {}",
                    n.span.line,
                    n.span.col,
                    n.type_name()
                ),
            });
        }
    })
}

/// Helm's `Metadata.Validate`, the checks a chart's author can fail.
fn validate(md: &Metadata, file: &str) -> Result<(), HelmError> {
    let bad = |message: String| {
        Err(HelmError::ChartYaml {
            file: file.to_string(),
            message: format!("validation: {message}"),
        })
    };
    if md.name.is_empty() {
        return bad("chart.metadata.name is required".into());
    }
    if md.name.contains('/') || md.name.contains('\\') || md.name == "." || md.name == ".." {
        return bad(format!("chart.metadata.name {:?} is invalid", md.name));
    }
    if md.version.is_empty() {
        return bad("chart.metadata.version is required".into());
    }
    if semver::Version::parse(md.version.trim_start_matches('v')).is_err()
        && super::version::parse_loose(&md.version).is_none()
    {
        return bad(format!(
            "chart.metadata.version {:?} is invalid",
            md.version
        ));
    }
    if !["", "application", "library"].contains(&md.chart_type.as_str()) {
        return bad(format!(
            "chart.metadata.type must be application or library, not {:?}",
            md.chart_type
        ));
    }
    for d in &md.dependencies {
        if d.name.is_empty() {
            return bad("dependencies must have a name".into());
        }
        if !d.alias.is_empty()
            && !d
                .alias
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return bad(format!(
                "dependency {:?} has disallowed characters in the alias",
                d.name
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_fields() {
        let md = parse_metadata(
            "c/Chart.yaml",
            "apiVersion: v2\nname: c\nversion: 1.0\nappVersion: 2\nkubeVersion: '>= 1.28.0-0'\ndependencies:\n- name: common\n  version: 2.27.0\n  tags: [bitnami-common]\n  alias: base\n  import-values: [data, {child: a.b, parent: x}]\n",
        )
        .unwrap();
        assert_eq!(md.version, "1");
        assert_eq!(md.app_version, "2");
        assert_eq!(md.dependencies[0].tags, ["bitnami-common"]);
        assert_eq!(md.dependencies[0].import_values.len(), 2);
        let v = md.to_value(true);
        assert_eq!(v["KubeVersion"], ">= 1.28.0-0");
        assert_eq!(v["Annotations"], Value::Null);
        let e = parse_metadata("c/Chart.yaml", "name: [x]\n").unwrap_err();
        assert!(
            e.to_string().contains("c/Chart.yaml") && e.to_string().contains("name"),
            "{e}"
        );
    }

    #[test]
    fn validation_names_the_field() {
        let files = |text: &str| {
            vec![BufferedFile {
                name: "Chart.yaml".into(),
                data: text.as_bytes().to_vec(),
            }]
        };
        let l = Limits::default();
        let e = Chart::from_files(files("apiVersion: v2\nname: c\n"), "c", &l, 0).unwrap_err();
        assert!(e.to_string().contains("version is required"), "{e}");
        let e =
            Chart::from_files(files("apiVersion: v2\nversion: 1.0.0\n"), "c", &l, 0).unwrap_err();
        assert!(e.to_string().contains("name is required"), "{e}");
        let e = Chart::from_files(Vec::new(), "c", &l, 0).unwrap_err();
        assert!(e.to_string().contains("Chart.yaml file is missing"), "{e}");
    }
}
