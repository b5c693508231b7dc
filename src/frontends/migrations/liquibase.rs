//! Liquibase changelogs in XML (quick-xml, with byte positions), YAML and JSON (the spanned YAML
//! model: JSON is YAML, and serde_json checks it is well-formed first). Each format is read into
//! one tree of [`Change`]s (a change type, its attributes with their spans, its nested changes
//! and text), and one reader turns changes into schema changes:
//!
//! changeSets run up; a `<rollback>` (`rollback:`) runs only on rollback. `dropColumn` (one
//! `columnName` or nested `column`s), `dropTable`, `renameColumn`, `renameTable`,
//! `modifyDataType`, `delete`/`update` without `where`, and `<sql>` text (handed to the SQL
//! front-end at its place in the file); `createTable` and `addColumn` declare tables and types.
//! A master's `include`/`includeAll` (the order of the changelogs) and a changeset's `sqlFile`
//! (the SQL file, read by the SQL front-end, runs in the changeset's direction) are recorded as
//! written; the migration analysis resolves them across the repository's files.

use quick_xml::events::Event;

use super::lit::Lit;
use crate::classify::Framework;
use crate::frontends::sql::Session;
use crate::model::FileFacts;
use crate::model::migration::{Include, SqlFileRef};
use crate::model::schema::{AlterAction, ObjectKind, SchemaOp, SqlName};
use crate::model::types::TypeSpec;
use crate::source::Span;
use crate::syntax::yaml::{self, Node, Value};

/// Elements nested deeper than this are not read.
const MAX_DEPTH: usize = 100;

/// One element of a changelog (`<dropColumn …>`, `{"dropColumn": {…}}`).
#[derive(Debug, Default)]
struct Change {
    name: String,
    span: Span,
    /// Attribute name → decoded value with its map to the host file.
    attrs: Vec<(String, Lit)>,
    children: Vec<Change>,
    /// Text content (`<sql>…</sql>`, `<where>…</where>`).
    body: Option<Lit>,
}

impl Change {
    fn attr(&self, name: &str) -> Option<&Lit> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .or_else(|| {
                // YAML/JSON write text content as a key (`sql: …`, `where: …`).
                self.children
                    .iter()
                    .find(|c| c.name == name)
                    .and_then(|c| c.body.as_ref())
            })
    }

    fn name_attr(&self, name: &str) -> Option<SqlName> {
        let lit = self.attr(name)?;
        Some(SqlName::new(lit.text.clone(), lit.span))
    }

    /// Nested `<column>`s (XML) or `columns: [{column: …}]` (YAML/JSON).
    fn columns(&self) -> Vec<&Change> {
        let mut out = Vec::new();
        for c in &self.children {
            match c.name.as_str() {
                "column" => out.push(c),
                "columns" => out.extend(c.children.iter().filter(|g| g.name == "column")),
                _ => {}
            }
        }
        out
    }
}

/// Read one Liquibase changelog into `facts`.
pub fn extract(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    let lower = facts.file.path.to_ascii_lowercase();
    let root = if lower.ends_with(".xml") {
        match read_xml(&src) {
            Ok(root) => root,
            Err((at, message)) => {
                facts.sql.problems.push((at, message));
                return;
            }
        }
    } else {
        if lower.ends_with(".json")
            && let Err(e) = serde_json::from_str::<serde_json::Value>(&src)
        {
            let at = offset_of(&src, e.line(), e.column());
            facts.sql.problems.push((
                at,
                format!("not valid JSON, Liquibase changelog not read: {e}"),
            ));
            return;
        }
        let doc = yaml::parse(&src);
        let mut root = Change::default();
        for d in &doc.documents {
            for pair in d
                .root
                .as_ref()
                .and_then(|r| r.as_mapping())
                .unwrap_or_default()
            {
                if let Some(key) = pair.key_str() {
                    read_yaml(key, &pair.value, &mut root, 0);
                }
            }
        }
        root
    };
    if !is_changelog(&root) {
        return;
    }
    let mut down = Vec::new();
    rollbacks(&root, &mut down, 0);
    let mut session = super::session(facts, Framework::Liquibase, down);
    read(&root, &src, &mut session, 0);
    session.finish(facts);
    let (mut includes, mut sql_files) = (Vec::new(), Vec::new());
    references(&root, false, &mut includes, &mut sql_files, 0);
    if let Some(m) = facts.sql.migration.as_mut() {
        m.includes = includes;
        m.sql_files = sql_files;
    }
}

/// The changelogs a master includes and the SQL files changesets run, in document order (the
/// analysis resolves the paths against the repository's files).
fn references(
    change: &Change,
    in_rollback: bool,
    includes: &mut Vec<Include>,
    sql_files: &mut Vec<SqlFileRef>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for c in &change.children {
        let relative = c
            .attr("relativeToChangelogFile")
            .is_some_and(|v| v.text.trim().eq_ignore_ascii_case("true"));
        let (key, all) = match c.name.as_str() {
            "include" => ("file", Some(false)),
            "includeAll" => ("path", Some(true)),
            "sqlFile" => ("path", None),
            _ => {
                references(
                    c,
                    in_rollback || c.name == "rollback",
                    includes,
                    sql_files,
                    depth + 1,
                );
                continue;
            }
        };
        let Some(path) = c.attr(key).map(|v| v.text.trim().to_string()) else {
            continue;
        };
        if path.is_empty() {
            continue;
        }
        match all {
            Some(all) => includes.push(Include {
                path,
                all,
                relative,
            }),
            None => sql_files.push(SqlFileRef {
                path,
                relative,
                down: in_rollback,
            }),
        }
    }
}

/// A changelog has a `databaseChangeLog` root (other XML/YAML under a `changelog` folder is not
/// one).
fn is_changelog(root: &Change) -> bool {
    root.children.iter().any(|c| c.name == "databaseChangeLog")
}

fn offset_of(src: &str, line: usize, column: usize) -> usize {
    let start: usize = src
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(src.len())
}

fn rollbacks(change: &Change, out: &mut Vec<(usize, usize)>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for c in &change.children {
        if c.name == "rollback" {
            out.push((c.span.start(), c.span.end()));
        } else {
            rollbacks(c, out, depth + 1);
        }
    }
}

/// Decode the XML entities of host text `start..end` into `lit`.
fn push_xml_text(lit: &mut Lit, src: &str, start: usize, end: usize) {
    lit.push_verbatim(src, start, end);
}

/// Read an XML changelog into a tree of changes; an error is (offset, message).
fn read_xml(src: &str) -> Result<Change, (usize, String)> {
    let mut reader = quick_xml::Reader::from_str(src);
    let mut stack: Vec<Change> = vec![Change::default()];
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(start);
            (
                at,
                format!("not valid XML, Liquibase changelog not read: {e}"),
            )
        })?;
        let end = usize::try_from(reader.buffer_position()).unwrap_or(start);
        match event {
            Event::Start(tag) | Event::Empty(tag) => {
                let name = String::from_utf8_lossy(tag.local_name().as_ref()).into_owned();
                let mut change = Change {
                    name,
                    span: Span::new(start, end),
                    ..Change::default()
                };
                read_attributes(&tag, src, start, end, &mut change);
                let empty = src.get(start..end).is_some_and(|t| t.ends_with("/>"));
                if empty || stack.len() > MAX_DEPTH {
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(change);
                    }
                } else {
                    stack.push(change);
                }
            }
            Event::End(_) if stack.len() > 1 => {
                if let Some(mut done) = stack.pop() {
                    done.span = Span::new(done.span.start(), end);
                    if let Some(parent) = stack.last_mut() {
                        parent.children.push(done);
                    }
                }
            }
            Event::Text(_) => {
                if let Some(open) = stack.last_mut() {
                    let body = open.body.get_or_insert_with(|| Lit {
                        span: Span::new(start, end),
                        ..Lit::default()
                    });
                    push_xml_text(body, src, start, end);
                }
            }
            Event::GeneralRef(r) => {
                let name: &[u8] = &r;
                let decoded = match name {
                    b"lt" => Some('<'),
                    b"gt" => Some('>'),
                    b"amp" => Some('&'),
                    b"quot" => Some('"'),
                    b"apos" => Some('\''),
                    _ => None,
                };
                if let (Some(c), Some(open)) = (decoded, stack.last_mut()) {
                    let body = open.body.get_or_insert_with(|| Lit {
                        span: Span::new(start, end),
                        ..Lit::default()
                    });
                    body.push_char(c, start);
                }
            }
            Event::CData(_) => {
                if let Some(open) = stack.last_mut() {
                    let (s, e) = (start + "<![CDATA[".len(), end.saturating_sub("]]>".len()));
                    let body = open.body.get_or_insert_with(|| Lit {
                        span: Span::new(s, e.max(s)),
                        ..Lit::default()
                    });
                    body.push_verbatim(src, s, e.max(s));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    while stack.len() > 1 {
        if let Some(done) = stack.pop()
            && let Some(parent) = stack.last_mut()
        {
            parent.children.push(done);
        }
    }
    Ok(stack.pop().unwrap_or_default())
}

/// Attributes of a start tag at host `start..end`, with the spans of their values.
fn read_attributes(
    tag: &quick_xml::events::BytesStart,
    src: &str,
    start: usize,
    end: usize,
    change: &mut Change,
) {
    let raw = src.get(start..end).unwrap_or("");
    let mut from = 0;
    for attr in tag.attributes().with_checks(false).flatten() {
        let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
        let full_key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
        // The value's place: after `key`, `=`, and a quote.
        let Some(k) = raw.get(from..).and_then(|r| r.find(&full_key)) else {
            continue;
        };
        let after = from + k + full_key.len();
        let Some(q) = raw.get(after..).and_then(|r| r.find(['"', '\''])) else {
            continue;
        };
        let value_start = after + q + 1;
        let value_end = value_start + attr.value.len();
        from = value_end.min(raw.len());
        let mut lit = Lit {
            span: Span::new(start + value_start, start + value_end),
            ..Lit::default()
        };
        // Entities in attribute values are rare in changelogs; decode the common ones.
        let value = raw.get(value_start..value_end).unwrap_or("");
        if value.contains('&') {
            lit.map.push(0, start + value_start, value.len());
            lit.text = value
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
        } else {
            lit.push_verbatim(src, start + value_start, start + value_end);
        }
        change.attrs.push((key, lit));
    }
}

/// Read a YAML/JSON node as the change `name` into `parent`.
fn read_yaml(name: &str, node: &Node, parent: &mut Change, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut change = Change {
        name: name.to_string(),
        span: node.span,
        ..Change::default()
    };
    match &node.value {
        Value::Scalar(s) => {
            change.body = Some(Lit {
                text: s.value.clone(),
                map: s.map.clone(),
                span: node.span,
            });
        }
        Value::Mapping(pairs) => {
            for pair in pairs {
                let Some(key) = pair.key_str() else {
                    continue;
                };
                match &pair.value.value {
                    Value::Scalar(s) => change.attrs.push((
                        key.to_string(),
                        Lit {
                            text: s.value.clone(),
                            map: s.map.clone(),
                            span: pair.value.span,
                        },
                    )),
                    _ => read_yaml(key, &pair.value, &mut change, depth + 1),
                }
            }
        }
        Value::Sequence(items) => {
            // `changes: [ {dropTable: {…}}, … ]`: each item is a one-key mapping.
            for item in items {
                match item.as_mapping() {
                    Some(pairs) => {
                        for pair in pairs {
                            if let Some(key) = pair.key_str() {
                                read_yaml(key, &pair.value, &mut change, depth + 1);
                                if let Some(last) = change.children.last_mut() {
                                    last.span =
                                        Span::new(pair.key.span.start(), pair.value.span.end());
                                }
                            }
                        }
                    }
                    None => read_yaml("", item, &mut change, depth + 1),
                }
            }
        }
    }
    if name == "rollback" {
        // The whole `rollback:` entry, key included.
        change.span = Span::new(node.span.start(), node.span.end());
    }
    parent.children.push(change);
}

fn drop_table(names: Vec<SqlName>, object: ObjectKind) -> SchemaOp {
    SchemaOp::Drop {
        object,
        names,
        if_exists: false,
        cascade: false,
        temporary: false,
    }
}

fn shown(change: &Change, src: &str) -> String {
    let text = src
        .get(change.span.start()..change.span.end())
        .unwrap_or("");
    if text.starts_with('<') {
        // XML: the element's start tag, as written.
        let open = text.find('>').map_or(text, |i| &text[..=i]);
        return super::lit::written(open);
    }
    // YAML/JSON: the change type with its attributes.
    let attrs: Vec<String> = change
        .attrs
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.text))
        .collect();
    super::lit::written(&format!("{}({})", change.name, attrs.join(", ")))
}

/// Turn changes into schema changes, in file order.
fn read(change: &Change, src: &str, session: &mut Session, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for c in &change.children {
        if c.name == "changeSet" {
            session.next_unit();
        }
        if !apply(c, src, session) {
            read(c, src, session, depth + 1);
        }
    }
}

/// One change; true when it was a change type (its children are not read again).
fn apply(c: &Change, src: &str, session: &mut Session) -> bool {
    let at = c.span;
    let table = || c.name_attr("tableName");
    match c.name.as_str() {
        "dropTable" => {
            let Some(name) = table() else { return true };
            session.push(
                drop_table(vec![name], ObjectKind::Table),
                at,
                at,
                &shown(c, src),
            );
        }
        "dropView" => return true,
        "dropColumn" => {
            let Some(table) = table() else { return true };
            let mut actions = Vec::new();
            if let Some(column) = c.name_attr("columnName") {
                actions.push(AlterAction::DropColumn { column, span: at });
            }
            for col in c.columns() {
                if let Some(column) = col.name_attr("name") {
                    actions.push(AlterAction::DropColumn {
                        column,
                        span: col.span,
                    });
                }
            }
            if !actions.is_empty() {
                session.push(
                    SchemaOp::AlterTable { table, actions },
                    at,
                    at,
                    &shown(c, src),
                );
            }
        }
        "renameColumn" => {
            let (Some(table), Some(from), Some(to)) = (
                table(),
                c.name_attr("oldColumnName"),
                c.name_attr("newColumnName"),
            ) else {
                return true;
            };
            let action = AlterAction::RenameColumn { from, to, span: at };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown(c, src));
        }
        "renameTable" => {
            let (Some(table), Some(to)) =
                (c.name_attr("oldTableName"), c.name_attr("newTableName"))
            else {
                return true;
            };
            let action = AlterAction::RenameTable { to, span: at };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown(c, src));
        }
        "modifyDataType" => {
            let (Some(table), Some(column), Some(ty)) =
                (table(), c.name_attr("columnName"), c.attr("newDataType"))
            else {
                return true;
            };
            let action = AlterAction::AlterType {
                column,
                from: None,
                to: TypeSpec::sql(ty.text.clone()),
                span: at,
            };
            let op = SchemaOp::AlterTable {
                table,
                actions: vec![action],
            };
            session.push(op, at, at, &shown(c, src));
        }
        "delete" | "update" => {
            let Some(table) = table() else { return true };
            let bounded = c.attr("where").is_some_and(|w| !w.text.trim().is_empty());
            let op = if c.name == "delete" {
                SchemaOp::Delete { table, bounded }
            } else {
                SchemaOp::Update { table, bounded }
            };
            session.push(op, at, at, &shown(c, src));
        }
        "createTable" => {
            let Some(name) = table() else { return true };
            let key = name.key.clone();
            let op = SchemaOp::Create {
                object: ObjectKind::Table,
                name,
                temporary: false,
            };
            session.push(op, at, at, &shown(c, src));
            declare(c, &key, session);
        }
        "addColumn" => {
            if let Some(name) = table() {
                declare(c, &name.key, session);
            }
        }
        "sql" => {
            let body = c.body.as_ref().or_else(|| c.attr("sql"));
            if let Some(body) = body {
                session.sql(&body.text, &body.map);
            }
        }
        _ => return false,
    }
    true
}

fn declare(c: &Change, table: &str, session: &mut Session) {
    for col in c.columns() {
        if let (Some(name), Some(ty)) = (col.name_attr("name"), col.attr("type")) {
            session.declare(
                table,
                &name.key,
                &TypeSpec::sql(ty.text.clone()),
                col.span.start(),
            );
        }
    }
}
