//! Helm's two value merges. User layers (`-f` files, then `--set`) merge
//! with [`merge_user`]: maps merge, anything else replaces, null included.
//! The result then [`coalesce`]s over the chart defaults, where a user null
//! deletes the default (Helm's `coalesce.go`).

use crate::yaml::{Node, Value};

/// Merges `overlay` into `base` as Helm merges `-f` files: maps merge key
/// by key, lists and scalars (and null) replace.
pub fn merge_user(base: &mut Node, overlay: Node) {
    match (&mut base.value, overlay.value) {
        (Value::Map(b), Value::Map(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) if existing.as_map().is_some() && v.as_map().is_some() => {
                        merge_user(existing, v);
                    }
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (_, value) => {
            base.value = value;
            base.span = overlay.span;
        }
    }
}

/// User values over chart defaults: maps merge, the user's lists and
/// scalars win, and a user null removes the default.
pub fn coalesce(mut user: Node, defaults: &Node) -> Node {
    match (&mut user.value, &defaults.value) {
        (Value::Map(u), Value::Map(d)) => {
            coalesce_maps(u, d);
            user
        }
        _ => user,
    }
}

fn coalesce_maps(user: &mut crate::yaml::Mapping, defaults: &crate::yaml::Mapping) {
    for (key, default) in defaults {
        match user.get_mut(key) {
            None => {
                user.insert(key.clone(), default.clone());
            }
            Some(mine) if mine.is_null() => {
                user.shift_remove(key);
            }
            Some(mine) => {
                if let (Value::Map(m), Value::Map(d)) = (&mut mine.value, &default.value) {
                    coalesce_maps(m, d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn y(s: &str) -> Node {
        parse_one(s, &Origin::file("t.yaml")).unwrap()
    }

    #[test]
    fn coalesce_table() {
        // (defaults, user, expected)
        let cases = [
            ("a: 1", "{}", "a: 1"),
            ("a: 1", "a: 2", "a: 2"),
            ("a: 1", "a: null", "{}"),
            ("a: {b: 1, c: 2}", "a: {c: null}", "a: {b: 1}"),
            ("a: {b: 1}", "a: {d: 3}", "a: {b: 1, d: 3}"),
            ("a: [1, 2]", "a: [3]", "a: [3]"),
            ("a: [{x: 1, y: 2}]", "a: [{x: 5}]", "a: [{x: 5}]"),
            ("a: {b: 1}", "a: 7", "a: 7"),
            ("a: 7", "a: {b: 1}", "a: {b: 1}"),
            ("a: 1", "z: null", "{a: 1, z: null}"),
            (
                "a: {b: {c: 1, d: 2}}",
                "a: {b: {d: null, e: 3}}",
                "a: {b: {c: 1, e: 3}}",
            ),
        ];
        for (d, u, want) in cases {
            assert_eq!(coalesce(y(u), &y(d)), y(want), "defaults {d} user {u}");
        }
    }

    #[test]
    fn merge_user_table() {
        // (base, overlay, expected)
        let cases = [
            ("a: {b: 1}", "a: {c: 2}", "a: {b: 1, c: 2}"),
            ("a: [1]", "a: [2, 3]", "a: [2, 3]"),
            ("a: {b: 1}", "a: null", "a: null"),
            ("a: {b: 1}", "a: {b: null}", "a: {b: null}"),
            ("a: 1", "a: {b: 2}", "a: {b: 2}"),
        ];
        for (b, o, want) in cases {
            let mut base = y(b);
            merge_user(&mut base, y(o));
            assert_eq!(base, y(want), "base {b} overlay {o}");
        }
    }

    #[test]
    fn null_survives_user_merge_then_deletes_default() {
        let mut user = y("a: {b: 1}");
        merge_user(&mut user, y("a: {b: null}"));
        assert_eq!(coalesce(user, &y("a: {b: 5, c: 6}")), y("a: {c: 6}"));
    }
}
