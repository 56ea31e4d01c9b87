//! Laying one object over another: the ModelService over its BaseConfig,
//! and one preset over another.
//!
//! Maps merge key by key and the overlay wins. An overlay value that is
//! empty (`""`, `[]`, `{}`) keeps the base's value; an explicit `null`
//! removes the key. Lists merge by the rule [`list_rule`] gives for their
//! field: by a merge key (Kubernetes' own `patchMergeKey`s), `args`
//! prepended, `command` replaced, anything else joined without duplicates.

use crate::yaml::{Mapping, Node, Value};

/// How a list field merges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListRule {
    /// Items are matched by these keys (an absent key matches an absent
    /// key) and merged field by field; new items are appended.
    ByKey(&'static [&'static str]),
    /// Items are matched by these keys and the overlay's item replaces the
    /// base's whole: an env var's `value` and `valueFrom`, or a volume's
    /// sources, exclude each other.
    ReplaceByKey(&'static [&'static str]),
    /// Overlay items first, then the base's (container `args`).
    Prepend,
    /// The overlay's list replaces the base's (container `command`).
    Replace,
    /// The base's items, then the overlay's items not already there.
    Union,
}

/// The one table of list merge rules, by the field path's last names.
/// Paths hold field names only (list indices are left out).
pub fn list_rule(path: &[&str]) -> ListRule {
    let last = path.last().copied().unwrap_or("");
    let parent = if path.len() >= 2 {
        path[path.len() - 2]
    } else {
        ""
    };
    let in_container = matches!(
        parent,
        "containers" | "initContainers" | "ephemeralContainers"
    );
    match last {
        "containers" | "initContainers" | "ephemeralContainers" => ListRule::ByKey(&["name"]),
        "args" if in_container => ListRule::Prepend,
        "command" if in_container => ListRule::Replace,
        "env" | "volumes" => ListRule::ReplaceByKey(&["name"]),
        "ports" if in_container => ListRule::ByKey(&["containerPort"]),
        // Service ports.
        "ports" => ListRule::ByKey(&["port"]),
        "volumeMounts" => ListRule::ByKey(&["mountPath"]),
        "volumeDevices" => ListRule::ByKey(&["devicePath"]),
        // Two gateways may share a name in different namespaces.
        "parentRefs" => ListRule::ByKey(&["name", "namespace"]),
        "imagePullSecrets" | "resourceClaims" | "claims" => ListRule::ByKey(&["name"]),
        "hostAliases" => ListRule::ByKey(&["ip"]),
        _ => ListRule::Union,
    }
}

/// Whether two list items are the same entry under `keys`. An item whose
/// first key is missing or null is no entry of any other.
pub fn same_entry(a: &Node, b: &Node, keys: &[&str]) -> bool {
    a.get(keys[0]).is_some_and(|k| !k.is_null())
        && keys
            .iter()
            .all(|k| a.get(k).map(|n| &n.value) == b.get(k).map(|n| &n.value))
}

/// Merges `overlay` into `base`.
pub fn merge(base: &mut Node, overlay: &Node) {
    let mut path = Vec::new();
    merge_at(base, overlay, &mut path);
}

fn merge_at<'a>(base: &mut Node, overlay: &'a Node, path: &mut Vec<&'a str>) {
    let base_is_null = base.is_null();
    match (&mut base.value, &overlay.value) {
        (Value::Map(b), Value::Map(o)) => {
            for (key, ov) in o {
                if ov.is_null() {
                    b.shift_remove(key);
                    continue;
                }
                match b.get_mut(key) {
                    Some(bv) => {
                        path.push(key);
                        merge_at(bv, ov, path);
                        path.pop();
                    }
                    None => {
                        path.push(key);
                        let v = landed(ov, path);
                        path.pop();
                        if !v.is_empty() {
                            b.insert(key.clone(), v);
                        }
                    }
                }
            }
        }
        (Value::Seq(b), Value::Seq(o)) => {
            if o.is_empty() {
                return;
            }
            merge_list(b, o, path);
        }
        _ if overlay.is_empty() && !base_is_null => {}
        _ => *base = landed(overlay, path),
    }
}

/// An overlay value where the base has nothing to merge it into, as if it
/// were merged into nothing: its nulls have nothing to remove, so they go,
/// and entries of a keyed list that share a key are merged into the first
/// (else the output would carry them, and merging the same overlay again
/// would remove or fold them only then).
fn landed<'a>(overlay: &'a Node, path: &mut Vec<&'a str>) -> Node {
    let value = match &overlay.value {
        Value::Map(m) => {
            let mut out = Mapping::with_capacity(m.len());
            for (k, v) in m {
                if !v.is_null() {
                    path.push(k);
                    out.insert(k.clone(), landed(v, path));
                    path.pop();
                }
            }
            Value::Map(out)
        }
        Value::Seq(items) => match list_rule(path) {
            ListRule::ByKey(_) | ListRule::ReplaceByKey(_) => {
                let mut out = Vec::with_capacity(items.len());
                merge_list(&mut out, items, path);
                Value::Seq(out)
            }
            // Other lists keep their items as written, repeats too.
            _ => Value::Seq(items.iter().map(|i| landed(i, path)).collect()),
        },
        v => v.clone(),
    };
    Node {
        value,
        span: overlay.span.clone(),
        key_span: overlay.key_span.clone(),
    }
}

fn merge_list<'a>(base: &mut Vec<Node>, overlay: &'a [Node], path: &mut Vec<&'a str>) {
    match list_rule(path) {
        ListRule::Replace => *base = overlay.iter().map(|i| landed(i, path)).collect(),
        ListRule::Prepend => {
            let mut merged: Vec<Node> = overlay.iter().map(|i| landed(i, path)).collect();
            merged.append(base);
            *base = merged;
        }
        ListRule::Union => {
            for item in overlay {
                let item = landed(item, path);
                if !base.contains(&item) {
                    base.push(item);
                }
            }
        }
        ListRule::ByKey(keys) | ListRule::ReplaceByKey(keys) => {
            let replace = matches!(list_rule(path), ListRule::ReplaceByKey(_));
            for item in overlay {
                match base.iter().position(|b| same_entry(item, b, keys)) {
                    Some(i) if replace => base[i] = landed(item, path),
                    Some(i) => merge_at(&mut base[i], item, path),
                    None => {
                        // Nothing left once its nulls are gone: nothing to add.
                        let item = landed(item, path);
                        if !item.is_empty() && !base.contains(&item) {
                            base.push(item);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one, print::to_string};

    fn y(text: &str) -> Node {
        parse_one(text, &Origin::file("t")).unwrap()
    }

    fn merged(base: &str, overlay: &str) -> String {
        let mut b = y(base);
        merge(&mut b, &y(overlay));
        to_string(&b)
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "scalars: overlay wins",
                "a: 1\nb: 2\n",
                "b: 3\n",
                "a: 1\nb: 3\n",
            ),
            (
                "empty keeps base",
                "a: x\nl: [1]\n",
                "a: \"\"\nl: []\nm: {}\n",
                "a: x\nl:\n  - 1\n",
            ),
            ("null removes", "a: 1\nb: 2\n", "a: null\n", "b: 2\n"),
            (
                "a null key matches no entry, and an item of only nulls adds nothing",
                "volumeMounts: [{mountPath: null, a: false}]\n",
                "volumeMounts: [{mountPath: null}]\n",
                "volumeMounts:\n  - mountPath: null\n    a: false\n",
            ),
            (
                "args prepend",
                "containers: [{name: v, args: [--port, \"8000\"]}]\n",
                "containers: [{name: v, args: [MODEL]}]\n",
                "containers:\n  - name: v\n    args:\n      - MODEL\n      - --port\n      - \"8000\"\n",
            ),
            (
                "command replaces",
                "containers: [{name: v, command: [a, b]}]\n",
                "containers: [{name: v, command: [c]}]\n",
                "containers:\n  - name: v\n    command:\n      - c\n",
            ),
            (
                "containers by name, new appended",
                "containers: [{name: a, image: x}]\n",
                "containers: [{name: a, image: z}, {name: b}]\n",
                "containers:\n  - name: a\n    image: z\n  - name: b\n",
            ),
            (
                "env by name",
                "containers: [{name: a, env: [{name: X, value: \"1\"}, {name: W, value: \"2\"}]}]\n",
                "containers: [{name: a, env: [{name: W, value: \"3\"}, {name: Z, value: \"4\"}]}]\n",
                "containers:\n  - name: a\n    env:\n      - name: X\n        value: \"1\"\n      - name: W\n        value: \"3\"\n      - name: Z\n        value: \"4\"\n",
            ),
            (
                "container ports by containerPort",
                "containers: [{name: a, ports: [{containerPort: 80}]}]\n",
                "containers: [{name: a, ports: [{containerPort: 80, name: http}, {containerPort: 90}]}]\n",
                "containers:\n  - name: a\n    ports:\n      - containerPort: 80\n        name: http\n      - containerPort: 90\n",
            ),
            (
                "service ports by port",
                "spec: {ports: [{port: 80, protocol: TCP}]}\n",
                "spec: {ports: [{port: 80, targetPort: 9}]}\n",
                "spec:\n  ports:\n    - port: 80\n      protocol: TCP\n      targetPort: 9\n",
            ),
            (
                "an env entry is replaced whole: value and valueFrom exclude each other",
                "containers: [{name: a, env: [{name: H, valueFrom: {fieldRef: {fieldPath: status.podIP}}}]}]\n",
                "containers: [{name: a, env: [{name: H, value: 0.0.0.0}]}]\n",
                "containers:\n  - name: a\n    env:\n      - name: H\n        value: \"0.0.0.0\"\n",
            ),
            (
                "parentRefs by name and namespace",
                "spec: {parentRefs: [{name: gw, port: 1}]}\n",
                "spec: {parentRefs: [{name: gw, port: 2}, {name: gw, namespace: b}]}\n",
                "spec:\n  parentRefs:\n    - name: gw\n      port: 2\n    - name: gw\n      namespace: b\n",
            ),
            (
                "other lists join without duplicates",
                "tolerations: [{key: a}]\n",
                "tolerations: [{key: a}, {key: b}]\n",
                "tolerations:\n  - key: a\n  - key: b\n",
            ),
            (
                "nulls where the base has nothing have nothing to remove",
                "a: 1\nl: [{name: x}]\n",
                "b: {c: null, d: 1}\ne: {f: null}\nl: [{name: z, v: null}]\n",
                "a: 1\nl:\n  - name: x\n  - name: z\nb:\n  d: 1\n",
            ),
            (
                "a keyed list that lands whole has one entry per key",
                "a: 1\n",
                "containers: [{name: v, image: x, env: [{name: E, value: p}, {name: E, value: q}]}, {name: v, image: z}]\n",
                "a: 1\ncontainers:\n  - name: v\n    image: z\n    env:\n      - name: E\n        value: q\n",
            ),
            (
                "limits merge key by key",
                "resources: {limits: {cpu: \"1\", memory: 1Gi}}\n",
                "resources: {limits: {memory: 2Gi}}\n",
                "resources:\n  limits:\n    cpu: \"1\"\n    memory: 2Gi\n",
            ),
        ];
        for (what, base, overlay, want) in cases {
            assert_eq!(merged(base, overlay), *want, "{what}");
        }
    }

    mod laws {
        use super::super::*;
        use crate::yaml::{Mapping, Node, Value};
        use proptest::prelude::*;

        fn scalar() -> impl Strategy<Value = Node> {
            prop_oneof![
                any::<bool>().prop_map(Node::bool),
                (-5i64..5).prop_map(Node::int),
                "[a-c]{1,2}".prop_map(Node::string),
            ]
        }

        fn keyed_list(key: &'static str) -> impl Strategy<Value = Node> {
            proptest::collection::btree_map("[a-d]", scalar(), 0..4).prop_map(move |m| {
                Node::seq(
                    m.into_iter()
                        .map(|(k, v)| Node::from_pairs([(key, Node::string(k)), ("v", v)]))
                        .collect(),
                )
            })
        }

        fn tree() -> impl Strategy<Value = Node> {
            let leaf = prop_oneof![scalar(), keyed_list("name")];
            leaf.prop_recursive(3, 24, 4, |inner| {
                proptest::collection::btree_map(
                    prop_oneof![
                        Just("env".to_string()),
                        Just("containers".to_string()),
                        "[a-d]"
                    ],
                    inner,
                    0..4,
                )
                .prop_map(|m| Node::synth(Value::Map(m.into_iter().collect::<Mapping>())))
            })
        }

        fn keys_unique(node: &Node, path: &mut Vec<String>) -> bool {
            match &node.value {
                Value::Map(m) => m.iter().all(|(k, v)| {
                    path.push(k.clone());
                    let ok = keys_unique(v, path);
                    path.pop();
                    ok
                }),
                Value::Seq(items) => {
                    let p: Vec<&str> = path.iter().map(String::as_str).collect();
                    if let ListRule::ByKey(keys) | ListRule::ReplaceByKey(keys) = list_rule(&p) {
                        for (i, a) in items.iter().enumerate() {
                            if items[..i].iter().any(|b| same_entry(a, b, keys)) {
                                return false;
                            }
                        }
                    }
                    items.iter().all(|i| keys_unique(i, path))
                }
                _ => true,
            }
        }

        proptest! {
            #[test]
            fn empty_overlay_is_identity(base in tree()) {
                let mut b = base.clone();
                merge(&mut b, &Node::map());
                prop_assert_eq!(b, base);
            }

            #[test]
            fn merging_into_empty_gives_the_overlay(overlay in tree()) {
                let mut b = Node::map();
                merge(&mut b, &overlay);
                // Empty values are dropped on the way in.
                let mut want = Node::map();
                if let (Some(w), Some(o)) = (want.as_map_mut(), overlay.as_map()) {
                    for (k, v) in o {
                        if !v.is_empty() { w.insert(k.clone(), v.clone()); }
                    }
                }
                if overlay.as_map().is_some() { prop_assert_eq!(b, want); }
            }

            #[test]
            fn overlay_scalars_win(base in tree(), key in "[a-d]", value in scalar()) {
                let mut b = base;
                let overlay = Node::from_pairs([(key.clone(), value.clone())]);
                merge(&mut b, &overlay);
                if b.as_map().is_some() {
                    prop_assert_eq!(b.get(&key), Some(&value));
                }
            }

            #[test]
            fn keyed_lists_stay_unique(base in tree(), overlay in tree()) {
                let mut b = base;
                merge(&mut b, &overlay);
                prop_assert!(keys_unique(&b, &mut Vec::new()));
            }

            #[test]
            fn merge_is_idempotent(base in tree(), overlay in tree()) {
                let mut once = base;
                merge(&mut once, &overlay);
                let mut twice = once.clone();
                // Prepended args grow on every merge by design; keep them out.
                merge(&mut twice, &overlay);
                if !format!("{overlay:?}").contains("\"args\"") {
                    prop_assert_eq!(twice, once);
                }
            }
        }
    }
}
