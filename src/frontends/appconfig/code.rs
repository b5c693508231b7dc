//! Database settings written as code: Django `settings*.py` (`DATABASES = {…: {'PASSWORD': …}}`
//! and `DATABASES['default']['PASSWORD'] = …`, tree-sitter-python) and `knexfile.js|ts`
//! (`connection: {password: …}` or a connection URL, per environment, tree-sitter-javascript and
//! -typescript), TypeORM data sources in code (`new DataSource({type: 'postgres', password: …})`).
//! Nothing is evaluated: a string literal is a literal; the fallback of
//! `os.environ.get('X', 'fallback')`, `os.getenv`, `env('X', default=…)`, `config('X', default=…)`
//! and `process.env.X || 'fallback'` / `?? 'fallback'` is a default (what runs when the variable
//! is unset); any other expression is not a literal. A string's text is taken as written between
//! its quotes (its exact span); f-strings and template literals with `${}` are not literals.

use tree_sitter::Node;

use crate::model::FileFacts;
use crate::model::secret::SecretClass;
use crate::source::{OffsetMap, Span};
use crate::syntax::{Grammar, parse_tree};

use super::passwords::{self, Place, Value, mark, section_context};

/// Nodes visited at most per file.
const MAX_NODES: usize = 500_000;

pub(super) fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Every node under `root` in document order, without recursion.
pub(super) fn each<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>)) {
    let mut cursor = root.walk();
    let mut seen = 0usize;
    loop {
        seen += 1;
        if seen > MAX_NODES {
            return;
        }
        visit(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == root {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The span between a string literal's quotes, if it is a plain string (no interpolation).
pub(super) fn string_content(node: Node, src: &str) -> Option<Span> {
    match node.kind() {
        "string" => {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "interpolation")
            {
                return None;
            }
            let raw = text(node, src);
            // Python prefixes (`r'…'`, `b'…'`; `f'…'` without `{}` is plain too) and quotes.
            let prefix = raw.find(['\'', '"'])?;
            let quote = &raw[prefix..];
            let q = if quote.starts_with("\"\"\"") || quote.starts_with("'''") {
                3
            } else {
                1
            };
            let start = node.start_byte() + prefix + q;
            let end = node.end_byte().checked_sub(q)?;
            (end >= start).then(|| Span::new(start, end))
        }
        "template_string" => {
            let mut cursor = node.walk();
            if node
                .named_children(&mut cursor)
                .any(|c| c.kind() == "template_substitution")
            {
                return None;
            }
            Some(Span::new(
                node.start_byte() + 1,
                node.end_byte().checked_sub(1)?,
            ))
        }
        _ => None,
    }
}

/// How an expression holds a password: a literal string, or the fallback of an environment
/// look-up (`os.environ.get('X', 'fb')`, `process.env.X || 'fb'`).
fn secret_of(node: Node, src: &str) -> Option<(SecretClass, Span)> {
    if let Some(span) = string_content(node, src) {
        return Some((SecretClass::Literal, span));
    }
    match node.kind() {
        // Python: `os.environ.get('X', 'fb')`, `env('X', default='fb')`, `config('X', 'fb')`.
        "call" => {
            let function = text(node.child_by_field_name("function")?, src);
            let last = function.rsplit('.').next().unwrap_or(function);
            if !matches!(last, "get" | "getenv" | "env" | "config" | "str") {
                return None;
            }
            let args = node.child_by_field_name("arguments")?;
            let mut cursor = args.walk();
            let named: Vec<Node> = args.named_children(&mut cursor).collect();
            let fallback = named
                .iter()
                .find(|a| {
                    a.kind() == "keyword_argument"
                        && a.child_by_field_name("name")
                            .is_some_and(|n| text(n, src) == "default")
                })
                .and_then(|a| a.child_by_field_name("value"))
                .or_else(|| {
                    named
                        .get(1)
                        .copied()
                        .filter(|a| a.kind() != "keyword_argument")
                })?;
            string_content(fallback, src).map(|s| (SecretClass::Default, s))
        }
        // JavaScript: `process.env.X || 'fb'`, `process.env.X ?? 'fb'`.
        "binary_expression" => {
            let op = node.child_by_field_name("operator").map(|o| text(o, src))?;
            if !matches!(op, "||" | "??") {
                return None;
            }
            let left = text(node.child_by_field_name("left")?, src);
            if !left.contains("process.env") {
                return None;
            }
            string_content(node.child_by_field_name("right")?, src)
                .map(|s| (SecretClass::Default, s))
        }
        _ => None,
    }
}

/// Record a password expression's secret, and mark its section's context.
fn record(
    facts: &mut FileFacts,
    key: &str,
    class: SecretClass,
    span: Span,
    section: &str,
    place: &Place,
) {
    record_in(facts, key, class, span, section, place, "environment");
}

/// [`record`], the section called `what` in messages (`environment`, `connection`).
fn record_in(
    facts: &mut FileFacts,
    key: &str,
    class: SecretClass,
    span: Span,
    section: &str,
    place: &Place,
    what: &str,
) {
    let src = facts.file.text.clone();
    let Some(raw) = src.get(span.start()..span.end()) else {
        return;
    };
    let map = OffsetMap::verbatim(span.start(), raw.len());
    let here = if section.is_empty() {
        place.clone()
    } else {
        place.within(format!("{what} `{section}`"))
    };
    let before = facts.credentials.len();
    match class {
        // A fallback is written as a `${VAR:fallback}` would be read: its whole text is the default.
        SecretClass::Default => {
            let wrapped = format!("${{X:{raw}}}");
            let mut m = OffsetMap::default();
            m.push(4, span.start(), raw.len());
            let v = Value {
                text: &wrapped,
                map: &m,
            };
            passwords::password(facts, key, &v, None, &here);
        }
        _ => {
            let v = Value {
                text: raw,
                map: &map,
            };
            passwords::password(facts, key, &v, None, &here);
        }
    }
    if facts.credentials.len() > before {
        mark(facts, span, section_context(section));
    }
}

/// Connection URLs in every plain string under `node`.
fn urls_under(
    facts: &mut FileFacts,
    node: Node,
    key: &str,
    section: &str,
    place: &Place,
    what: &str,
) {
    let src = facts.file.text.clone();
    let mut spans = Vec::new();
    each(node, |n| {
        if let Some(span) = string_content(n, &src)
            && src[span.start()..span.end()].contains(['@', '=', ':'])
        {
            spans.push(span);
        }
    });
    let here = if section.is_empty() {
        place.clone()
    } else {
        place.within(format!("{what} `{section}`"))
    };
    for span in spans {
        let raw = &src[span.start()..span.end()];
        let map = OffsetMap::verbatim(span.start(), raw.len());
        let before = facts.credentials.len();
        passwords::urls(
            facts,
            key,
            &Value {
                text: raw,
                map: &map,
            },
            &here,
        );
        if facts.credentials.len() > before {
            mark(facts, span, section_context(section));
        }
    }
}

/// The key of a dictionary or object pair, unquoted.
pub(super) fn pair_key(pair: Node, src: &str) -> Option<String> {
    let key = pair.child_by_field_name("key")?;
    match string_content(key, src) {
        Some(span) => src.get(span.start()..span.end()).map(str::to_string),
        None => Some(text(key, src).to_string()),
    }
}

/// The key of the nearest pair above `node` (the alias or environment it is under).
pub(super) fn enclosing_key(node: Node, src: &str, stop: usize) -> String {
    let mut at = node.parent();
    while let Some(n) = at {
        if n.start_byte() < stop {
            break;
        }
        if n.kind() == "pair" {
            return pair_key(n, src).unwrap_or_default();
        }
        at = n.parent();
    }
    String::new()
}

/// Django `settings*.py`.
pub fn django(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    if !src.contains("DATABASES") {
        return;
    }
    let Some(tree) = parse_tree(Grammar::Python, &src) else {
        return;
    };
    let place = Place::new("Django settings file");
    let mut found: Vec<(String, SecretClass, Span)> = Vec::new();
    let mut url_roots: Vec<(Node, String)> = Vec::new();
    each(tree.root_node(), |node| {
        if node.kind() != "assignment" {
            return;
        }
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let target = text(left, &src);
        if target == "DATABASES" {
            url_roots.push((right, "DATABASES".to_string()));
            each(right, |pair| {
                if pair.kind() != "pair" {
                    return;
                }
                if pair_key(pair, &src).is_some_and(|k| k.eq_ignore_ascii_case("password"))
                    && let Some((class, span)) = pair
                        .child_by_field_name("value")
                        .and_then(|v| secret_of(v, &src))
                {
                    let alias = enclosing_key(pair, &src, right.start_byte());
                    let key = format!("DATABASES['{alias}']['PASSWORD']");
                    found.push((key, class, span));
                }
            });
        } else if target.starts_with("DATABASES[")
            && ["['PASSWORD']", "[\"PASSWORD\"]"]
                .iter()
                .any(|k| target.to_ascii_uppercase().ends_with(k))
            && let Some((class, span)) = secret_of(right, &src)
        {
            found.push((target.to_string(), class, span));
        }
    });
    for (key, class, span) in found {
        record(facts, &key, class, span, "", &place);
    }
    for (root, key) in url_roots {
        urls_under(facts, root, &key, "", &place, "environment");
    }
}

/// `knexfile.js|cjs|mjs|ts`.
pub fn knexfile(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    let grammar = crate::syntax::javascript_grammar(&facts.file.path);
    let Some(tree) = parse_tree(grammar, &src) else {
        return;
    };
    let place = Place::new("knexfile");
    let mut connections: Vec<(Node, String)> = Vec::new();
    each(tree.root_node(), |node| {
        if node.kind() == "pair" && pair_key(node, &src).as_deref() == Some("connection") {
            let env = enclosing_key(node, &src, 0);
            if let Some(value) = node.child_by_field_name("value") {
                connections.push((value, env));
            }
        }
    });
    for (value, env) in connections {
        let mut found: Vec<(String, SecretClass, Span)> = Vec::new();
        each(value, |pair| {
            if pair.kind() == "pair"
                && pair_key(pair, &src).as_deref() == Some("password")
                && let Some((class, span)) = pair
                    .child_by_field_name("value")
                    .and_then(|v| secret_of(v, &src))
            {
                let key = if env.is_empty() {
                    "connection.password".to_string()
                } else {
                    format!("{env}.connection.password")
                };
                found.push((key, class, span));
            }
        });
        for (key, class, span) in found {
            record(facts, &key, class, span, &env, &place);
        }
        let key = if env.is_empty() {
            "connection".to_string()
        } else {
            format!("{env}.connection")
        };
        urls_under(facts, value, &key, &env, &place, "environment");
    }
}

/// TypeORM data sources in code (`data-source.ts`, `ormconfig.js|ts`, `typeorm.config.ts`):
/// every object literal with a database `type:` (`new DataSource({…})`, `module.exports = {…}`,
/// an array of them) is a connection; its `password` and `url`, its `name` the context.
pub fn typeorm_code(facts: &mut FileFacts) {
    let src = facts.file.text.clone();
    let grammar = crate::syntax::javascript_grammar(&facts.file.path);
    let Some(tree) = parse_tree(grammar, &src) else {
        return;
    };
    let place = Place::new("TypeORM configuration");
    let mut objects: Vec<Node> = Vec::new();
    each(tree.root_node(), |node| {
        if node.kind() != "object" {
            return;
        }
        let mut cursor = node.walk();
        let is_connection = node.named_children(&mut cursor).any(|pair| {
            pair.kind() == "pair"
                && pair_key(pair, &src).as_deref() == Some("type")
                && pair
                    .child_by_field_name("value")
                    .and_then(|v| string_content(v, &src))
                    .is_some_and(|s| TYPEORM_TYPES.contains(&&src[s.start()..s.end()]))
        });
        if is_connection {
            objects.push(node);
        }
    });
    for object in objects {
        let mut cursor = object.walk();
        let pairs: Vec<Node> = object
            .named_children(&mut cursor)
            .filter(|p| p.kind() == "pair")
            .collect();
        let name = pairs
            .iter()
            .find(|p| pair_key(**p, &src).as_deref() == Some("name"))
            .and_then(|p| p.child_by_field_name("value"))
            .and_then(|v| string_content(v, &src))
            .map(|s| src[s.start()..s.end()].to_string())
            .unwrap_or_default();
        for pair in pairs {
            let key = pair_key(pair, &src).unwrap_or_default();
            let Some(value) = pair.child_by_field_name("value") else {
                continue;
            };
            let shown = if name.is_empty() {
                key.clone()
            } else {
                format!("{name}.{key}")
            };
            match key.as_str() {
                "password" => {
                    if let Some((class, span)) = secret_of(value, &src) {
                        record_in(facts, &shown, class, span, &name, &place, "connection");
                    }
                }
                "url" => urls_under(facts, value, &shown, &name, &place, "connection"),
                _ => {}
            }
        }
    }
}

/// TypeORM's database `type`s.
const TYPEORM_TYPES: &[&str] = &[
    "postgres",
    "mysql",
    "mariadb",
    "mssql",
    "oracle",
    "cockroachdb",
    "mongodb",
    "aurora-mysql",
    "aurora-postgres",
    "sap",
    "spanner",
];

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::model::secret::SecretClass;
    use crate::source::SourceFile;

    fn found(path: &str, text: &str) -> Vec<(String, String, SecretClass, Context)> {
        let f = FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::AppConfig,
            Context::Production,
        );
        f.credentials
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    f.file.slice(c.span).to_string(),
                    c.class,
                    f.context_at(c.span),
                )
            })
            .collect()
    }

    #[test]
    fn django_databases() {
        let text = "import os\nDATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'USER': 'app',\n        'PASSWORD': 'dj-pw-1',\n    },\n    'replica': {\n        'PASSWORD': os.environ.get('REPLICA_PASSWORD', 'dj-fallback'),\n    },\n    'other': {'PASSWORD': os.environ['X'], 'HOST': f'{x}'},\n    'url': dj_database_url.config(default='postgres://u:dj-url-pw@db/app'),\n}\nDATABASES['default']['PASSWORD'] = \"dj-pw-2\"\n";
        let got = found("mysite/settings.py", text);
        let short: Vec<(&str, &str, SecretClass)> = got
            .iter()
            .map(|(n, v, c, _)| (n.as_str(), v.as_str(), *c))
            .collect();
        assert_eq!(
            short,
            [
                (
                    "DATABASES['default']['PASSWORD']",
                    "dj-pw-1",
                    SecretClass::Literal
                ),
                (
                    "DATABASES['replica']['PASSWORD']",
                    "dj-fallback",
                    SecretClass::Default
                ),
                (
                    "the postgres:// URL in `DATABASES`",
                    "dj-url-pw",
                    SecretClass::Literal
                ),
                (
                    "DATABASES['default']['PASSWORD']",
                    "dj-pw-2",
                    SecretClass::Literal
                ),
            ]
        );
    }

    #[test]
    fn typeorm_data_sources() {
        let text = "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({\n  type: 'postgres',\n  password: 'orm-code-pw',\n  url: process.env.DATABASE_URL,\n});\nconst other = { type: 'text', password: 'not-a-db' };\n";
        let got = found("src/data-source.ts", text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "password");
        assert_eq!(got[0].1, "orm-code-pw");
    }

    #[test]
    fn knex_environments() {
        let text = "module.exports = {\n  development: {\n    client: 'pg',\n    connection: { host: 'localhost', user: 'app', password: 'kx-dev' },\n  },\n  production: {\n    client: 'pg',\n    connection: { password: process.env.DB_PASSWORD || 'kx-fallback' },\n  },\n  staging: { client: 'pg', connection: 'postgres://app:kx-url@db/app' },\n  ci: { connection: { password: process.env.DB_PASSWORD } },\n};\n";
        let got = found("knexfile.js", text);
        let short: Vec<(&str, &str, SecretClass, Context)> = got
            .iter()
            .map(|(n, v, c, x)| (n.as_str(), v.as_str(), *c, *x))
            .collect();
        assert_eq!(
            short,
            [
                (
                    "development.connection.password",
                    "kx-dev",
                    SecretClass::Literal,
                    Context::Local
                ),
                (
                    "production.connection.password",
                    "kx-fallback",
                    SecretClass::Default,
                    Context::Production
                ),
                (
                    "the postgres:// URL in `staging.connection`",
                    "kx-url",
                    SecretClass::Literal,
                    Context::Production
                ),
            ]
        );
    }
}
