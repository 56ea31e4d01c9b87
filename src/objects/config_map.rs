//! ConfigMaps listed under a BaseConfig's `configMaps` key.

use super::{ObjectExt, add_metadata_labels, identify, strip_server_fields};
use crate::error::{Diagnostic, Stage};
use crate::modelservice::{check_dns_label, check_dns_subdomain};
use crate::yaml::Node;

/// Each entry keeps its own name, and its own namespace when it names one.
pub fn config_maps(list: Node, namespace: &str) -> Result<Vec<Node>, Diagnostic> {
    let mut out = Vec::new();
    for (i, mut cm) in list
        .as_seq()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        if cm.as_map().is_none() {
            return Err(Diagnostic::new(
                Stage::Build,
                cm.span.clone(),
                format!(
                    "configMaps[{i}] is {}, expected a ConfigMap object",
                    cm.type_name()
                ),
            )
            .with_path(format!("data.configMaps[{i}]")));
        }
        let name = cm.name().to_string();
        if name.is_empty() {
            return Err(Diagnostic::new(
                Stage::Build,
                cm.span.clone(),
                format!("configMaps[{i}] has no metadata.name"),
            )
            .with_path(format!("data.configMaps[{i}].metadata.name"))
            .with_help("give every ConfigMap a name"));
        }
        // Names come from templates: hold them to Kubernetes' rules, which
        // also keeps them safe as file names under `-o`.
        let path = format!("data.configMaps[{i}].metadata");
        if let Some(n) = cm.get_path(&["metadata", "name"]) {
            check_dns_subdomain(&name, n, &format!("{path}.name"))?;
        }
        if let (Some(ns), Some(n)) = (cm.namespace(), cm.get_path(&["metadata", "namespace"])) {
            check_dns_label(ns, n, &format!("{path}.namespace"))?;
        }
        let ns = cm.namespace().unwrap_or(namespace).to_string();
        strip_server_fields(&mut cm);
        identify(&mut cm, "v1", "ConfigMap", &name, Some(&ns));
        add_metadata_labels(&mut cm, &Vec::new());
        out.push(cm);
    }
    Ok(out)
}
