//! Chart values over defaults, subcharts included: Helm's `CoalesceValues`
//! / `MergeValues` (`coalesce.go`) and its dependency processing
//! (`dependencies.go`: `condition`, `tags`, `alias`, `import-values`),
//! ported step by step, quirks included, so that `.Values` is what Helm
//! computes.

use std::collections::BTreeSet;

use serde_json::Value;

use super::chart::Chart;
use super::error::HelmError;
use super::values::{Values, clean_nils, coalesce_tables, path_value, table};
use super::version::is_compatible_range;

/// Helm's `CoalesceValues`: user values over the chart's defaults and its
/// subcharts', a null deleting a default.
pub fn coalesce_values(
    chart: &Chart,
    vals: &Values,
    warn: &mut Vec<String>,
) -> Result<Values, HelmError> {
    coalesced(chart, vals, false, warn)
}

/// Helm's `MergeValues`: as [`coalesce_values`], nulls kept.
pub fn merge_values(
    chart: &Chart,
    vals: &Values,
    warn: &mut Vec<String>,
) -> Result<Values, HelmError> {
    coalesced(chart, vals, true, warn)
}

fn coalesced(
    chart: &Chart,
    vals: &Values,
    merge: bool,
    warn: &mut Vec<String>,
) -> Result<Values, HelmError> {
    let mut dest = vals.clone();
    coalesce(chart, &mut dest, "", merge, warn)?;
    Ok(dest)
}

fn concat_prefix(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a}.{b}")
    }
}

fn coalesce(
    chart: &Chart,
    dest: &mut Values,
    prefix: &str,
    merge: bool,
    warn: &mut Vec<String>,
) -> Result<(), HelmError> {
    coalesce_chart_values(chart, dest, prefix, merge, warn);
    coalesce_deps(chart, dest, prefix, merge, warn)
}

fn coalesce_deps(
    chart: &Chart,
    dest: &mut Values,
    prefix: &str,
    merge: bool,
    warn: &mut Vec<String>,
) -> Result<(), HelmError> {
    for sub in &chart.dependencies {
        let name = sub.name().to_string();
        match dest.get(&name) {
            None => {
                dest.insert(name.clone(), Value::Object(Values::new()));
            }
            Some(Value::Object(_)) => {}
            Some(other) => {
                return Err(HelmError::Values {
                    file: "values".into(),
                    message: format!(
                        "type mismatch on {name}: the subchart's values must be a map, not {}",
                        super::values::json_type(other)
                    ),
                });
            }
        }
        let sub_prefix = concat_prefix(prefix, chart.name());
        let mut dv = match dest.remove(&name) {
            Some(Value::Object(m)) => m,
            _ => Values::new(),
        };
        coalesce_globals(&mut dv, dest, &sub_prefix, warn);
        coalesce(sub, &mut dv, &sub_prefix, merge, warn)?;
        dest.insert(name, Value::Object(dv));
    }
    Ok(())
}

/// The parent's `global` into the subchart's: the parent's win.
fn coalesce_globals(dest: &mut Values, src: &Values, prefix: &str, warn: &mut Vec<String>) {
    let mut dg = match dest.get("global") {
        None => Values::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            warn.push(
                "warning: skipping globals because destination global is not a table.".into(),
            );
            return;
        }
    };
    let sg = match src.get("global") {
        None => Values::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            warn.push("warning: skipping globals because source global is not a table.".into());
            return;
        }
    };
    for (key, val) in sg {
        match val {
            Value::Object(vv) => match dg.get(&key) {
                None => {
                    dg.insert(key, Value::Object(vv));
                }
                Some(Value::Object(destv)) => {
                    let mut vv = vv;
                    coalesce_tables(
                        &mut vv,
                        destv.clone(),
                        &concat_prefix(prefix, &key),
                        true,
                        warn,
                    );
                    dg.insert(key, Value::Object(vv));
                }
                Some(_) => warn.push(format!(
                    "Conflict: cannot merge map onto non-map for {key:?}. Skipping."
                )),
            },
            val => {
                if matches!(dg.get(&key), Some(Value::Object(_))) {
                    warn.push(format!("key {key} is table. Skipping"));
                } else {
                    dg.insert(key, val);
                }
            }
        }
    }
    dest.insert("global".into(), Value::Object(dg));
}

/// Helm's `coalesceValues`: the chart's own defaults into `v`.
fn coalesce_chart_values(
    chart: &Chart,
    v: &mut Values,
    prefix: &str,
    merge: bool,
    warn: &mut Vec<String>,
) {
    let sub_prefix = concat_prefix(prefix, chart.name());
    for (key, val) in chart.values.clone() {
        match v.get_mut(&key) {
            Some(value) if value.is_null() && !merge => {
                v.remove(&key);
            }
            Some(Value::Object(dest)) => match val {
                Value::Object(mut src) => {
                    let merge = merge || chart.dependencies.iter().any(|d| d.name() == key);
                    if !merge {
                        clean_nils(&mut src);
                    }
                    coalesce_tables(dest, src, &concat_prefix(&sub_prefix, &key), merge, warn);
                }
                Value::Null => {}
                _ => warn.push(format!(
                    "warning: skipped value for {sub_prefix}.{key}: Not a table."
                )),
            },
            Some(_) => {}
            None => {
                let mut val = val;
                if !merge {
                    if val.is_null() {
                        continue;
                    }
                    if let Value::Object(sub) = &mut val {
                        clean_nils(sub);
                    }
                }
                v.insert(key, val);
            }
        }
    }
}

/// Helm's `ProcessDependencies` (run before the values are coalesced for
/// rendering): checks that every dependency is present, drops disabled
/// ones (`condition`, `tags`), renames aliased ones and applies
/// `import-values`.
pub fn process_dependencies(
    chart: &mut Chart,
    user: &Values,
    warn: &mut Vec<String>,
) -> Result<(), HelmError> {
    check_dependencies(chart)?;
    process_enabled(chart, user, "", warn)?;
    process_import_values_rec(chart, warn)
}

/// Helm's `CheckDependencies`: each declared dependency must be under
/// `charts/`.
fn check_dependencies(chart: &Chart) -> Result<(), HelmError> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !chart.dependencies.iter().any(|d| d.name() == r.name))
        .map(|r| r.name.as_str())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(HelmError::MissingDependency {
            chart: chart.name().to_string(),
            missing: missing.join(", "),
        })
    }
}

fn process_enabled(
    chart: &mut Chart,
    v: &Values,
    path: &str,
    warn: &mut Vec<String>,
) -> Result<(), HelmError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let existing = std::mem::take(&mut chart.dependencies);
    let declared = |c: &Chart, reqs: &[super::chart::Dependency]| {
        reqs.iter()
            .any(|r| c.name() == r.name && is_compatible_range(&r.version, &c.metadata.version))
    };
    let mut deps: Vec<Chart> = existing
        .iter()
        .filter(|c| !declared(c, &chart.metadata.dependencies))
        .cloned()
        .collect();
    for req in &mut chart.metadata.dependencies {
        if let Some(c) = existing.iter().find(|c| {
            c.name() == req.name && is_compatible_range(&req.version, &c.metadata.version)
        }) {
            let mut out = c.clone();
            if !req.alias.is_empty() {
                out.metadata.name = req.alias.clone();
            }
            deps.push(out);
        }
        if !req.alias.is_empty() {
            req.name = req.alias.clone();
        }
    }
    chart.dependencies = deps;
    for r in &mut chart.metadata.dependencies {
        r.enabled = true;
    }
    let cvals = coalesce_values(chart, v, warn)?;
    process_tags(chart, &cvals, warn);
    process_conditions(chart, &cvals, path, warn);
    let removed: BTreeSet<String> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|r| !r.enabled)
        .map(|r| r.name.clone())
        .collect();
    chart.dependencies.retain(|d| !removed.contains(d.name()));
    chart
        .metadata
        .dependencies
        .retain(|r| !removed.contains(&r.name));
    for t in &mut chart.dependencies {
        let sub_path = format!("{path}{}.", t.name());
        process_enabled(t, &cvals, &sub_path, warn)?;
    }
    Ok(())
}

fn process_tags(chart: &mut Chart, cvals: &Values, warn: &mut Vec<String>) {
    let Some(Value::Object(vt)) = cvals.get("tags") else {
        return;
    };
    for r in &mut chart.metadata.dependencies {
        let (mut has_true, mut has_false) = (false, false);
        for k in &r.tags {
            match vt.get(k) {
                Some(Value::Bool(true)) => has_true = true,
                Some(Value::Bool(false)) => has_false = true,
                Some(_) => warn.push(format!("tag {k} of {}: not a boolean, ignored", r.name)),
                None => {}
            }
        }
        r.enabled = has_true || !has_false;
    }
}

fn process_conditions(chart: &mut Chart, cvals: &Values, path: &str, warn: &mut Vec<String>) {
    for r in &mut chart.metadata.dependencies {
        for c in r.condition.trim().split(',') {
            if c.is_empty() {
                continue;
            }
            match path_value(cvals, &format!("{path}{c}")) {
                Some(Value::Bool(b)) => {
                    r.enabled = *b;
                    break;
                }
                Some(_) => warn.push(format!(
                    "condition path '{c}' for chart {} returned non-bool value",
                    r.name
                )),
                None => {}
            }
        }
    }
}

fn process_import_values_rec(chart: &mut Chart, warn: &mut Vec<String>) -> Result<(), HelmError> {
    for d in &mut chart.dependencies {
        process_import_values_rec(d, warn)?;
    }
    process_import_values(chart, warn)
}

/// Helm's `processImportValues` in merge mode: the chart's values become
/// its merged values with each import laid under them (the parent's own
/// values win).
fn process_import_values(chart: &mut Chart, warn: &mut Vec<String>) -> Result<(), HelmError> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let cvals = merge_values(chart, &Values::new(), warn)?;
    let mut b = Values::new();
    for r in &mut chart.metadata.dependencies {
        let mut rewritten = Vec::new();
        for iv in &r.import_values {
            let (child, parent) = match iv {
                Value::Object(m) => (go_str(m.get("child")), go_str(m.get("parent"))),
                Value::String(s) => (format!("exports.{s}"), ".".to_string()),
                _ => continue,
            };
            // Helm rewrites each import to its {child, parent} form, which
            // `.Chart.Dependencies` shows.
            rewritten.push(serde_json::json!({"child": child, "parent": parent}));
            let Some(vv) = table(&cvals, &format!("{}.{child}", r.name)) else {
                warn.push(format!(
                    "ImportValues missing table from chart {}: {child}",
                    r.name
                ));
                continue;
            };
            let imported = path_to_map(&parent, vv.clone());
            coalesce_tables(&mut b, imported, "", true, warn);
        }
        r.import_values = rewritten;
    }
    let mut out = cvals;
    coalesce_tables(&mut out, b, "", true, warn);
    chart.values = out;
    Ok(())
}

/// Go's `%v` of a map entry that should be a string.
fn go_str(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "<nil>".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn path_to_map(path: &str, data: Values) -> Values {
    if path == "." {
        return data;
    }
    let mut cur = data;
    for part in path.split('.').rev() {
        let mut m = Values::new();
        m.insert(part.to_string(), Value::Object(cur));
        cur = m;
    }
    cur
}
