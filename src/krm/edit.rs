//! Editing the ResourceList's text: items msvc generated on an earlier run
//! are cut out, the new objects and results go in as block YAML, and every
//! other byte stays where it was.

use std::collections::HashSet;

use saphyr_parser::{Event, Parser};

use super::{INPUT_NAME, list_error};
use crate::error::{Diagnostic, Span, Stage};
use crate::yaml::{Node, Value, print};

/// A byte range of the input.
type Range = (usize, usize);

/// Where a top-level list (`items`, `results`) sits in the input text; all
/// offsets in bytes. `colon` is just after the key's `:`.
#[derive(Clone, Debug, PartialEq)]
enum Slot {
    /// No such key.
    Absent,
    /// `key:` with a null value whose text (empty, `~`, `null`) ends at
    /// `value_end`.
    Null { colon: usize, value_end: usize },
    /// A block sequence that ends at `end` (the start of the line after its
    /// last item), its dashes at column `dash_col`; each entry is the whole
    /// lines of one item.
    Block {
        colon: usize,
        end: usize,
        dash_col: usize,
        entries: Vec<Range>,
    },
    /// A flow sequence from its `[` at `open` to its `]` at `close`; each
    /// entry is the text of one item (anchor and tag included).
    Flow {
        colon: usize,
        open: usize,
        close: usize,
        entries: Vec<Range>,
    },
}

/// The top-level shape of the ResourceList text.
#[derive(Debug)]
pub(super) struct Layout {
    /// The top mapping is `{...}`.
    flow: bool,
    /// Where the top mapping ends: its `}`, or the end of its last line.
    end: usize,
    /// Column of its keys.
    indent: usize,
    has_entries: bool,
    items: Slot,
    results: Slot,
}

/// Byte offset of each char index, plus the length.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(b, _)| b)
        .chain([text.len()])
        .collect()
}

type Events<'a> = [(Event<'a>, usize, usize)];

impl Layout {
    pub(super) fn scan(text: &str) -> Result<Self, Diagnostic> {
        let at = byte_offsets(text);
        let mut events = Vec::new();
        for ev in Parser::new_from_str(text) {
            let (e, s) =
                ev.map_err(|e| Diagnostic::new(Stage::Parse, Span::none(), e.info().to_string()))?;
            events.push((e, at[s.start.index()], at[s.end.index()]));
        }
        let unexpected = || {
            list_error(
                Span::new(INPUT_NAME.into(), 0, 0),
                "the ResourceList's layout is not one msvc can edit",
            )
        };
        let top = events
            .iter()
            .position(|(e, _, _)| matches!(e, Event::MappingStart(..)))
            .ok_or_else(unexpected)?;
        let (_, top_start, top_start_end) = events[top];
        let mut layout = Layout {
            flow: top_start_end > top_start,
            end: 0,
            indent: 0,
            has_entries: false,
            items: Slot::Absent,
            results: Slot::Absent,
        };
        let mut i = top + 1;
        loop {
            let Some((event, start, _)) = events.get(i) else {
                return Err(unexpected());
            };
            if matches!(event, Event::MappingEnd) {
                layout.end = *start;
                break;
            }
            let Event::Scalar(key, ..) = event else {
                return Err(unexpected());
            };
            let key = key.to_string();
            let key_end = events[i].2;
            if !layout.has_entries {
                layout.indent = column(text, *start);
                layout.has_entries = true;
            }
            i += 1;
            let value_at = i;
            i = skip_node(&events, i).ok_or_else(unexpected)?;
            if key != "items" && key != "results" {
                continue;
            }
            let colon = text[key_end..]
                .find(':')
                .map(|c| key_end + c + 1)
                .ok_or_else(unexpected)?;
            let slot = match &events[value_at].0 {
                Event::Scalar(v, ..) if is_null(v) => {
                    let (vs, ve) = (events[value_at].1, events[value_at].2);
                    Slot::Null {
                        colon,
                        value_end: if ve > vs { ve } else { colon },
                    }
                }
                Event::SequenceStart(..) => {
                    let (_, s_start, s_start_end) = events[value_at];
                    let close = events[i - 1].1;
                    let nodes = nodes(&events, value_at + 1, i - 1).ok_or_else(unexpected)?;
                    if s_start_end > s_start && text[s_start..].starts_with('[') {
                        Slot::Flow {
                            colon,
                            open: s_start,
                            close,
                            entries: flow_entries(text, s_start, &events, &nodes),
                        }
                    } else {
                        let entries =
                            block_entries(text, close, &events, &nodes).ok_or_else(unexpected)?;
                        let first = events[value_at + 1].1;
                        Slot::Block {
                            colon,
                            end: close,
                            dash_col: dash_line(text, first).ok_or_else(unexpected)?.1,
                            entries,
                        }
                    }
                }
                // Not a list: reading the list reports it.
                _ => return Err(unexpected()),
            };
            if key == "items" {
                layout.items = slot;
            } else {
                layout.results = slot;
            }
        }
        Ok(layout)
    }

    /// The input without the items at `drop` (indices in `items`), with
    /// `items` and `results` appended.
    pub(super) fn splice(
        &self,
        text: &str,
        drop: &HashSet<usize>,
        items: &[Node],
        results: &[Node],
    ) -> String {
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let none = HashSet::new();
        for (key, slot, drop, new) in [
            ("items", &self.items, drop, items),
            ("results", &self.results, &none, results),
        ] {
            edits.extend(self.edit(text, key, slot, drop, new));
        }
        // Stable: at one place, items go before results.
        edits.sort_by_key(|e| (e.0, e.1));
        let mut out = String::with_capacity(text.len() + 4096);
        let mut pos = 0;
        for (start, end, insert) in edits {
            out.push_str(&text[pos..start]);
            out.push_str(&insert);
            pos = end;
        }
        out.push_str(&text[pos..]);
        out
    }

    fn edit(
        &self,
        text: &str,
        key: &str,
        slot: &Slot,
        drop: &HashSet<usize>,
        new: &[Node],
    ) -> Vec<(usize, usize, String)> {
        let dropped = |entries: &[Range]| (0..entries.len()).any(|i| drop.contains(&i));
        let kept = |entries: &[Range]| -> Vec<Range> {
            entries
                .iter()
                .enumerate()
                .filter(|(i, _)| !drop.contains(i))
                .map(|(_, r)| *r)
                .collect()
        };
        let flow_list = |kept: &[Range]| {
            kept.iter()
                .map(|&(s, e)| text[s..e].to_string())
                .chain(new.iter().map(flow_text))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match slot {
            Slot::Absent if new.is_empty() => vec![],
            Slot::Null { .. } if new.is_empty() => vec![],
            Slot::Flow { entries, .. } | Slot::Block { entries, .. }
                if new.is_empty() && !dropped(entries) =>
            {
                vec![]
            }
            // A JSON ResourceList stays JSON: block YAML cannot go inside `{}`.
            Slot::Absent if self.flow => {
                let comma = if self.has_entries { ", " } else { "" };
                vec![(
                    self.end,
                    self.end,
                    format!("{comma}\"{key}\": [{}]", flow_list(&[])),
                )]
            }
            Slot::Null { colon, value_end } if self.flow => {
                vec![(*colon, *value_end, format!(" [{}]", flow_list(&[])))]
            }
            Slot::Flow {
                open,
                close,
                entries,
                ..
            } if self.flow => {
                if dropped(entries) {
                    vec![(open + 1, *close, flow_list(&kept(entries)))]
                } else {
                    let comma = if entries.is_empty() { "" } else { ", " };
                    vec![(*close, *close, format!("{comma}{}", flow_list(&[])))]
                }
            }
            Slot::Absent => {
                let mut s = newline_before(text, self.end);
                s.push_str(&" ".repeat(self.indent));
                s.push_str(key);
                s.push_str(":\n");
                s.push_str(&block_items(new, self.indent));
                vec![(self.end, self.end, s)]
            }
            Slot::Null { colon, value_end } => {
                let s = format!("\n{}", block_items(new, self.indent));
                vec![(*colon, line_rest(text, *value_end), s)]
            }
            // A flow list becomes a block list; its items keep their text.
            Slot::Flow {
                colon,
                open,
                close,
                entries,
            } => {
                let kept = kept(entries);
                if kept.is_empty() && new.is_empty() {
                    return vec![(*open, close + 1, "[]".into())];
                }
                let mut s = String::from("\n");
                for (start, end) in kept {
                    s.push_str(&block_entry(&text[start..end], self.indent));
                }
                s.push_str(&block_items(new, self.indent));
                vec![(*colon, line_rest(text, close + 1), s)]
            }
            Slot::Block {
                colon,
                end,
                dash_col,
                entries,
            } => {
                if kept(entries).is_empty() && new.is_empty() {
                    return vec![(*colon, *end, " []\n".into())];
                }
                let mut edits: Vec<(usize, usize, String)> = entries
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| drop.contains(i))
                    .map(|(_, &(s, e))| (s, e, String::new()))
                    .collect();
                if !new.is_empty() {
                    let mut s = newline_before(text, *end);
                    s.push_str(&block_items(new, *dash_col));
                    edits.push((*end, *end, s));
                }
                edits
            }
        }
    }
}

fn is_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

/// Index of the event after the node that starts at `i`.
fn skip_node(events: &Events, i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    loop {
        match events.get(j)?.0 {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth = depth.checked_sub(1)?,
            _ => {}
        }
        j += 1;
        if depth == 0 {
            return Some(j);
        }
    }
}

/// The nodes between events `from` and `to`: each as (first event, event
/// after it).
fn nodes(events: &Events, from: usize, to: usize) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    let mut j = from;
    while j < to {
        let next = skip_node(events, j)?;
        out.push((j, next));
        j = next;
    }
    Some(out)
}

/// Where the text of a node ends: its last scalar or flow bracket (a block
/// collection's end event sits at whatever comes next).
fn content_end(text: &str, events: &Events, (from, to): (usize, usize)) -> usize {
    let mut flow = Vec::new();
    let mut end = events[from].1;
    for (e, s, t) in &events[from..to] {
        match e {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                flow.push(text[*s..*t].contains(['[', '{']))
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if flow.pop() == Some(true) {
                    end = end.max(*t);
                }
            }
            _ => end = end.max(*t),
        }
    }
    // A block scalar's end takes in the blank lines after it.
    text[..end].trim_end().len().max(events[from].1)
}

/// Each item of a flow sequence opening at `open`: from after the `[` or
/// the comma before it (blanks and comments skipped) to its last byte.
fn flow_entries(text: &str, open: usize, events: &Events, nodes: &[(usize, usize)]) -> Vec<Range> {
    let mut after = open + 1;
    let mut out = Vec::new();
    for &node in nodes {
        let end = content_end(text, events, node);
        let start = skip_blanks(text, after).min(events[node.0].1);
        out.push((start, end));
        after = text[end..].find(',').map_or(end, |c| end + c + 1);
    }
    out
}

fn skip_blanks(text: &str, mut at: usize) -> usize {
    loop {
        let rest = &text[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if trimmed.starts_with('#') {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else {
            return at;
        }
    }
}

/// Each item of a block sequence ending at `end`: from the start of its
/// dash's line to the end of its last line.
fn block_entries(
    text: &str,
    end: usize,
    events: &Events,
    nodes: &[(usize, usize)],
) -> Option<Vec<Range>> {
    let starts: Vec<usize> = nodes
        .iter()
        .map(|n| dash_line(text, events[n.0].1).map(|d| d.0))
        .collect::<Option<_>>()?;
    Some(
        nodes
            .iter()
            .enumerate()
            .map(|(k, &node)| {
                let limit = starts.get(k + 1).copied().unwrap_or(end);
                (
                    starts[k],
                    line_end(text, content_end(text, events, node)).min(limit),
                )
            })
            .collect(),
    )
}

/// The start of the next line after `at` (or the end of the text); `at`
/// itself when it starts a line.
fn line_end(text: &str, at: usize) -> usize {
    if at == 0 || text[..at].ends_with('\n') {
        return at;
    }
    text[at..].find('\n').map_or(text.len(), |n| at + n + 1)
}

/// After `at`: past the line's end when only blanks are left on it.
fn line_rest(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    match rest[blanks..].chars().next() {
        None => text.len(),
        Some('\n') => at + blanks + 1,
        Some(_) => at,
    }
}

fn column(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..at].chars().count()
}

/// The line start and column of the `-` that opens the block sequence item
/// at `at`: on the item's line, or on a line before when the dash stands
/// alone.
fn dash_line(text: &str, at: usize) -> Option<(usize, usize)> {
    let mut line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    loop {
        let line = &text[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let trimmed = line.trim_start_matches(' ');
        if trimmed.starts_with('-') {
            return Some((line_start, line.len() - trimmed.len()));
        }
        if line_start == 0 {
            return None;
        }
        let prev_end = line_start - 1;
        let prev_start = text[..prev_end].rfind('\n').map_or(0, |n| n + 1);
        let prev = text[prev_start..prev_end].trim();
        if !prev.is_empty() && !prev.starts_with('-') && !prev.starts_with('#') {
            return None;
        }
        line_start = prev_start;
    }
}

/// `"\n"` when `at` is not at the start of a line.
fn newline_before(text: &str, at: usize) -> String {
    if at == 0 || text[..at].ends_with('\n') {
        String::new()
    } else {
        "\n".into()
    }
}

/// Objects as block sequence items with their dashes at `col`.
fn block_items(items: &[Node], col: usize) -> String {
    items
        .iter()
        .map(|item| {
            let text = print::to_string(item);
            block_entry(text.strip_suffix('\n').unwrap_or(&text), col)
        })
        .collect()
}

/// One block sequence item holding `body`, its dash at `col`. Further lines
/// are indented under the dash; inside a flow node, as in block text, that
/// leaves the value as it was.
fn block_entry(body: &str, col: usize) -> String {
    let mut out = " ".repeat(col);
    out.push_str("- ");
    for (n, line) in body.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&" ".repeat(col + 2));
            }
        }
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// A node as JSON-style flow YAML, keys in order.
pub(super) fn flow_text(node: &Node) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => print::float_text(*f),
        Value::String(s) => quote(s),
        Value::Seq(s) => format!(
            "[{}]",
            s.iter().map(flow_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", quote(k), flow_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Origin, parse_one};

    fn parse(text: &str) -> Node {
        parse_one(text, &Origin::file("t")).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn splice(text: &str, drop: &[usize], new: &[&str]) -> String {
        let new: Vec<Node> = new.iter().map(|n| parse(n)).collect();
        let drop = drop.iter().copied().collect();
        Layout::scan(text).unwrap().splice(text, &drop, &new, &[])
    }

    #[test]
    fn dash_lines() {
        assert_eq!(dash_line("items:\n- a: 1\n", 9), Some((7, 0)));
        assert_eq!(dash_line("items:\n  - a: 1\n", 11), Some((7, 2)));
        assert_eq!(dash_line("items:\n  -\n    a: 1\n", 15), Some((7, 2)));
        assert_eq!(
            dash_line("items:\n- # c\n  # d\n  a: 1\n", 20),
            Some((7, 0))
        );
        assert_eq!(dash_line("a: 1\n", 0), None);
    }

    #[test]
    fn flow_text_is_yaml() {
        let node = parse("a: [1, 2.5, true, null, \"x\\\"y\"]\nb: {c: 'it''s'}\n");
        let text = flow_text(&node);
        assert_eq!(
            text,
            "{\"a\": [1, 2.5, true, null, \"x\\\"y\"], \"b\": {\"c\": \"it's\"}}"
        );
        assert_eq!(print::to_string(&parse(&text)), print::to_string(&node));
    }

    #[test]
    fn block_items_are_cut_whole_and_comments_between_stay() {
        let text = "kind: ResourceList\nitems:\n  - a: 1 # one\n    b: |\n      x\n\n  # about two\n  -\n    a: 2\n  - [3, 4]\n# end\nfunctionConfig: {}\n";
        assert_eq!(
            splice(text, &[0, 2], &["name: 5\n"]),
            "kind: ResourceList\nitems:\n\n  # about two\n  -\n    a: 2\n# end\n  - name: 5\nfunctionConfig: {}\n"
        );
        assert_eq!(
            splice(text, &[0, 1, 2], &[]),
            "kind: ResourceList\nitems: []\nfunctionConfig: {}\n"
        );
        // Nothing to drop or add: the text as it was.
        assert_eq!(splice(text, &[], &[]), text);
    }

    #[test]
    fn flow_items_become_block_items_keeping_their_text() {
        let text = "kind: ResourceList\nitems: [{a: 1}, &x {b: \"two\nlines\"}, # c\n  [3], plain]\nfunctionConfig: {}\n";
        let out = splice(text, &[2], &["name: 5\n"]);
        assert_eq!(
            out,
            "kind: ResourceList\nitems:\n- {a: 1}\n- &x {b: \"two\n  lines\"}\n- plain\n- name: 5\nfunctionConfig: {}\n"
        );
        let before = parse(text);
        let after = parse(&out);
        let items = |n: &Node| n.get("items").and_then(Node::as_seq).cloned().unwrap();
        assert_eq!(items(&after)[1].to_json(), items(&before)[1].to_json());
        assert_eq!(
            splice("kind: ResourceList\nitems: []\n", &[], &["name: 5\n"]),
            "kind: ResourceList\nitems:\n- name: 5\n"
        );
        assert_eq!(
            splice("kind: ResourceList\nitems: [{a: 1}]\n", &[0], &[]),
            "kind: ResourceList\nitems: []\n"
        );
    }

    #[test]
    fn null_items_become_block_items() {
        for text in [
            "items:\nkind: ResourceList\n",
            "items: ~\nkind: ResourceList\n",
        ] {
            assert_eq!(
                splice(text, &[], &["name: 5\n"]),
                "items:\n- name: 5\nkind: ResourceList\n"
            );
        }
    }

    #[test]
    fn json_stays_json() {
        let text = "{\"kind\": \"ResourceList\", \"items\": [{\"a\": 1}, {\"b\": 2}]}";
        assert_eq!(
            splice(text, &[0], &["name: 5\n"]),
            "{\"kind\": \"ResourceList\", \"items\": [{\"b\": 2}, {\"name\": 5}]}"
        );
    }
}
