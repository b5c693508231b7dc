//! JSON (and YAML) application configuration, read through the spanned YAML model (JSON is YAML
//! 1.2), so every value keeps its exact offsets:
//! - .NET `appsettings*.json`: connection strings (`ConnectionStrings`, and any value shaped like
//!   one: `Server=…;Password=…`, a database URL) and a `Password` under a database-named object.
//!   The `//` and `/* */` comments .NET accepts are blanked at the same length first;
//! - Sequelize `config/config.json`: `password` (and `url`) per environment section, when the
//!   sections look like Sequelize's (`dialect`, `database`, `username`);
//! - TypeORM `ormconfig.json|yml|yaml`: one connection, a list of them (their `name` gives the
//!   context), or named connections; `password` and `url`.

use crate::knowledge::orm_settings::orm_settings;
use crate::model::FileFacts;
use crate::model::store::{EnvEntry, Spanned};
use crate::source::OffsetMap;
use crate::syntax::yaml::{self, Node, ScalarType};

use super::passwords::{self, Place, Value, mark, section_context};

/// Objects are followed this deep.
const MAX_DEPTH: usize = 12;

/// Words of an object's name that say its `Password` is a database's.
const DATABASE_WORDS: &[&str] = &[
    "db",
    "database",
    "sql",
    "postgres",
    "postgresql",
    "pg",
    "mysql",
    "mariadb",
    "mongo",
    "mongodb",
    "redis",
    "cosmos",
    "connection",
    "datasource",
];

fn parse(facts: &mut FileFacts, text: &str) -> Option<Node> {
    let parsed = yaml::parse(text);
    super::yaml_problem(facts, &parsed);
    parsed.documents.into_iter().find_map(|d| d.root)
}

/// A scalar's text and offsets, unless it is null.
fn value(node: &Node) -> Option<Value<'_>> {
    let s = node.as_scalar()?;
    (s.ty != ScalarType::Null).then_some(Value {
        text: &s.value,
        map: &s.map,
    })
}

/// .NET `appsettings*.json`.
pub fn appsettings(facts: &mut FileFacts) {
    let text = blank_comments(&facts.file.text);
    let Some(root) = parse(facts, &text) else {
        return;
    };
    walk_appsettings(facts, &root, "", 0);
}

fn walk_appsettings(facts: &mut FileFacts, node: &Node, path: &str, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let place = Place::new("appsettings file");
    let parent_is_db = path
        .rsplit(':')
        .next()
        .map(|last| {
            crate::levels::name_words(last)
                .iter()
                .any(|w| DATABASE_WORDS.contains(&w.as_str()))
        })
        .unwrap_or(false);
    for pair in node.as_mapping().unwrap_or_default() {
        let Some(key) = pair.key_str() else { continue };
        let here = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}:{key}")
        };
        if pair.value.as_mapping().is_some() {
            walk_appsettings(facts, &pair.value, &here, depth + 1);
            continue;
        }
        let Some(v) = value(&pair.value) else {
            continue;
        };
        let lower = key.to_ascii_lowercase();
        if parent_is_db && matches!(lower.as_str(), "password" | "pwd") {
            let user = node
                .get_str("User")
                .or_else(|| node.get_str("Username"))
                .or_else(|| node.get_str("UserId"));
            passwords::password(facts, &here, &v, user, &place);
        } else {
            passwords::urls(facts, &here, &v, &place);
        }
    }
}

/// Sequelize `config/config.json`: `{ "development": {…}, "production": {…} }`.
pub fn sequelize(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(root) = parse(facts, &text) else {
        return;
    };
    let place = Place::new("Sequelize configuration");
    for section in root.as_mapping().unwrap_or_default() {
        let Some(name) = section.key_str() else {
            continue;
        };
        let node = &section.value;
        let is_sequelize = ["dialect", "database", "username"]
            .iter()
            .any(|k| node.get(k).is_some());
        if !is_sequelize {
            continue;
        }
        connection(
            facts,
            node,
            name,
            &place.within(format!("environment `{name}`")),
        );
    }
}

/// TypeORM `ormconfig.json|yml|yaml`.
pub fn typeorm(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(root) = parse(facts, &text) else {
        return;
    };
    let place = Place::new("TypeORM configuration");
    if let Some(items) = root.as_sequence() {
        for item in items {
            match item.get_str("name") {
                Some(name) => {
                    let name = name.to_string();
                    connection(
                        facts,
                        item,
                        &name,
                        &place.within(format!("connection `{name}`")),
                    );
                }
                None => connection(facts, item, "", &place),
            }
        }
    } else if root.get("type").is_some() {
        connection(facts, &root, "", &place);
    } else {
        // `ormconfig.yml`: named connections at the top.
        for pair in root.as_mapping().unwrap_or_default() {
            let Some(name) = pair.key_str() else { continue };
            if pair.value.get("type").is_some() {
                connection(
                    facts,
                    &pair.value,
                    name,
                    &place.within(format!("connection `{name}`")),
                );
            }
        }
    }
}

/// One connection object's `password` and `url`; its section name sets the context.
fn connection(facts: &mut FileFacts, node: &Node, section: &str, place: &Place) {
    let user = node.get_str("username").map(str::to_string);
    let prefix = if section.is_empty() {
        String::new()
    } else {
        format!("{section}.")
    };
    let mut schema_settings = Vec::new();
    for pair in node.as_mapping().unwrap_or_default() {
        let Some(key) = pair.key_str() else { continue };
        let Some(v) = value(&pair.value) else {
            continue;
        };
        let name = format!("{prefix}{key}");
        match key {
            "password" => passwords::password(facts, &name, &v, user.as_deref(), place),
            "url" | "uri" => passwords::urls(facts, &name, &v, place),
            _ if orm_settings().code.typeorm_options.iter().any(|o| o == key) => {
                schema_settings.push((key.to_string(), v.text.to_string(), pair.value.span));
            }
            _ => {}
        }
    }
    // `synchronize`/`dropSchema` for `orm-auto-schema`, in the section's context.
    let context = section_context(section);
    for (key, written, span) in schema_settings {
        facts.settings.push(EnvEntry {
            key: Spanned { value: key, span },
            value: Some(Spanned {
                value: written,
                span,
            }),
            map: OffsetMap::default(),
        });
        mark(facts, span, context);
    }
    // The section's context covers what was found in it.
    let context = section_context(section);
    let spans: Vec<_> = facts
        .credentials
        .iter()
        .map(|c| c.span)
        .filter(|s| node.span.contains(*s))
        .collect();
    for span in spans {
        mark(facts, span, context);
    }
}

/// `//` line comments and `/* */` block comments outside strings, as spaces (line ends kept).
pub fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'"', _) => {
                in_string = true;
                i += 1;
            }
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                for o in &mut out[i..end] {
                    if !matches!(*o, b'\n' | b'\r') {
                        *o = b' ';
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced, by ASCII: still valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::SourceFile;

    fn names(path: &str, text: &str) -> Vec<(String, Context)> {
        let f = FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::AppConfig,
            Context::Production,
        );
        f.credentials
            .iter()
            .map(|c| (c.name.clone(), f.context_at(c.span)))
            .collect()
    }

    #[test]
    fn appsettings_connection_strings() {
        let text = "{\n  // comment with Password=x;Server=y\n  \"ConnectionStrings\": {\n    \"Default\": \"Server=db;Database=app;User Id=sa;Pwd=S3cret-pw;\",\n    \"Env\": \"Server=db;Password=${DB};\"\n  },\n  \"Database\": { \"User\": \"app\", \"Password\": \"pw2-long\" },\n  \"Smtp\": { \"Password\": \"mail\" }\n}\n";
        assert_eq!(
            names("appsettings.json", text),
            [
                (
                    "the connection string in `ConnectionStrings:Default`".to_string(),
                    Context::Production
                ),
                ("Database:Password".to_string(), Context::Production)
            ]
        );
    }

    #[test]
    fn sequelize_sections() {
        let text = "{\n  \"development\": {\"username\": \"root\", \"password\": \"dev-pw\", \"dialect\": \"mysql\"},\n  \"production\": {\"use_env_variable\": \"DATABASE_URL\", \"password\": \"prod-pw\", \"dialect\": \"mysql\"},\n  \"other\": {\"password\": \"not-db\"}\n}\n";
        assert_eq!(
            names("config/config.json", text),
            [
                ("development.password".to_string(), Context::Local),
                ("production.password".to_string(), Context::Production)
            ]
        );
    }

    #[test]
    fn typeorm_connections() {
        let text = "[{\"name\": \"default\", \"type\": \"postgres\", \"password\": \"pw-one\"}, {\"name\": \"test\", \"type\": \"sqlite\", \"password\": \"pw-two\"}]\n";
        assert_eq!(
            names("ormconfig.json", text),
            [
                ("default.password".to_string(), Context::Production),
                ("test.password".to_string(), Context::Test)
            ]
        );
    }
}
