//! ORM schema synchronisation written as JavaScript/TypeScript code (tree-sitter-javascript and
//! -typescript): TypeORM options objects (`new DataSource({…})`, `createConnection({…})`,
//! NestJS `TypeOrmModule.forRoot({…})`) with `synchronize`/`dropSchema`, and Sequelize
//! `sequelize.sync({force: true})` / `Model.sync({alter: true})`. What is looked for is data
//! (`[code]` of `rules/orm-settings.toml`).
//!
//! Each option becomes a setting ([`FileFacts::settings`]): its key (`synchronize`,
//! `sync.force`) and its value's text when it is a literal (`true`); an expression
//! (`process.env.NODE_ENV !== 'production'`) is kept as written and judged by no rule. Where it
//! is written sets its context: inside `if (process.env.NODE_ENV === 'test')`, `… !==
//! 'production'`, `if (isDev)`, a `&&` or `?:` on such a test, or under a `development:`/`test:`
//! key, it is that context (marked as a region); on the production side of such a test, or
//! under a `production:` key, a `profile` setting named `production` covers it.

use tree_sitter::Node;

use crate::knowledge::orm_settings::orm_settings;
use crate::levels::{Context, name_context, name_words};
use crate::model::FileFacts;
use crate::model::store::{EnvEntry, Spanned};
use crate::source::{OffsetMap, Span};
use crate::syntax::parse_tree;

use super::code::{each, enclosing_key, pair_key, string_content, text};
use super::passwords::{mark, section_context};

/// Ancestors climbed at most when looking for a guarding condition.
const MAX_CLIMB: usize = 200;

/// The environment a branch runs in, as far as its guard says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// Test or dev only.
    Throwaway(Context),
    /// Production only.
    Production,
}

/// Extract the schema-sync settings of a JavaScript or TypeScript file.
pub fn extract(facts: &mut FileFacts) {
    let table = &orm_settings().code;
    if !orm_settings().code_may_hold(facts.file.text.as_bytes()) {
        return;
    }
    let src = facts.file.text.clone();
    let grammar = crate::syntax::javascript_grammar(&facts.file.path);
    let Some(tree) = parse_tree(grammar, &src) else {
        return;
    };
    let has = |list: &[String], key: &str| list.iter().any(|k| k == key);
    // (key, value node, the node whose place decides the context)
    let mut found: Vec<(String, Node, Node)> = Vec::new();
    each(tree.root_node(), |node| match node.kind() {
        "object" => {
            let mut cursor = node.walk();
            let pairs: Vec<(String, Node)> = node
                .named_children(&mut cursor)
                .filter(|p| p.kind() == "pair")
                .filter_map(|p| Some((pair_key(p, &src)?, p)))
                .collect();
            if !pairs
                .iter()
                .any(|(k, _)| has(&table.typeorm_object_keys, k))
                && !in_call(node, &src, &table.typeorm_calls)
            {
                return;
            }
            // `database: ':memory:'` starts empty at each start anyway.
            let in_memory = pairs.iter().any(|(k, p)| {
                k == "database"
                    && p.child_by_field_name("value")
                        .and_then(|v| string_content(v, &src))
                        .and_then(|s| src.get(s.start()..s.end()))
                        .is_some_and(|d| has(&table.ephemeral_databases, d))
            });
            if in_memory {
                return;
            }
            for (key, pair) in &pairs {
                if has(&table.typeorm_options, key)
                    && let Some(value) = pair.child_by_field_name("value")
                {
                    found.push((key.clone(), value, node));
                }
            }
        }
        "call_expression" => {
            let Some(function) = node.child_by_field_name("function") else {
                return;
            };
            let method = match function.kind() {
                "member_expression" => function
                    .child_by_field_name("property")
                    .map(|p| text(p, &src)),
                _ => None,
            };
            let Some(method) = method.filter(|m| has(&table.sync_methods, m)) else {
                return;
            };
            let Some(options) = node
                .child_by_field_name("arguments")
                .and_then(|a| a.named_child(0))
                .filter(|a| a.kind() == "object")
            else {
                return;
            };
            let mut cursor = options.walk();
            for pair in options.named_children(&mut cursor) {
                if pair.kind() != "pair" {
                    continue;
                }
                let Some(key) = pair_key(pair, &src) else {
                    continue;
                };
                if has(&table.sync_options, &key)
                    && let Some(value) = pair.child_by_field_name("value")
                {
                    found.push((format!("{method}.{key}"), value, node));
                }
            }
        }
        _ => {}
    });
    for (key, value, at) in found {
        let value_span = string_content(value, &src)
            .unwrap_or_else(|| Span::new(value.start_byte(), value.end_byte()));
        let Some(written) = src.get(value_span.start()..value_span.end()) else {
            continue;
        };
        let key_span = value
            .parent()
            .and_then(|p| p.child_by_field_name("key"))
            .map_or(value_span, |k| Span::new(k.start_byte(), k.end_byte()));
        facts.settings.push(EnvEntry {
            key: Spanned {
                value: key,
                span: key_span,
            },
            value: Some(Spanned {
                value: written.to_string(),
                span: value_span,
            }),
            map: OffsetMap::verbatim(value_span.start(), written.len()),
        });
        let side = guard_side(at, &src).or_else(|| {
            let section = enclosing_key(at, &src, 0);
            match section_context(&section) {
                Some(c) => Some(Side::Throwaway(c)),
                None if is_production_word(&section) => Some(Side::Production),
                None => None,
            }
        });
        match side {
            Some(Side::Throwaway(context)) => mark(facts, value_span, Some(context)),
            Some(Side::Production) => facts.settings.push(EnvEntry {
                key: Spanned {
                    value: "profile".to_string(),
                    span: key_span,
                },
                value: Some(Spanned {
                    value: "production".to_string(),
                    span: value_span,
                }),
                map: OffsetMap::default(),
            }),
            None => {}
        }
    }
}

/// Whether `node` is inside the arguments of a call (or `new`) to one of `calls`, a few levels up.
fn in_call(node: Node, src: &str, calls: &[String]) -> bool {
    let mut at = node.parent();
    for _ in 0..8 {
        let Some(n) = at else { return false };
        if matches!(n.kind(), "call_expression" | "new_expression") {
            let callee = n
                .child_by_field_name("function")
                .or_else(|| n.child_by_field_name("constructor"))
                .map(|f| text(f, src))
                .unwrap_or("");
            let last = callee.rsplit('.').next().unwrap_or(callee);
            return calls.iter().any(|c| c == last);
        }
        at = n.parent();
    }
    false
}

fn is_production_word(name: &str) -> bool {
    name_words(name)
        .iter()
        .any(|w| matches!(w.as_str(), "prod" | "production" | "live"))
}

/// The side of the nearest environment test above `node` that it is on: the branch of an `if`,
/// of a `?:`, or the right of an `&&`.
fn guard_side(node: Node, src: &str) -> Option<Side> {
    let mut child = node;
    for _ in 0..MAX_CLIMB {
        let parent = child.parent()?;
        let (condition, taken) = match parent.kind() {
            // `if (c) … else …` and `c ? … : …` name their parts alike.
            "if_statement" | "ternary_expression" => {
                let condition = parent.child_by_field_name("condition")?;
                if parent
                    .child_by_field_name("consequence")
                    .is_some_and(|c| c.id() == child.id())
                {
                    (Some(condition), true)
                } else if parent
                    .child_by_field_name("alternative")
                    .is_some_and(|c| c.id() == child.id())
                {
                    (Some(condition), false)
                } else {
                    (None, true)
                }
            }
            "binary_expression"
                if parent
                    .child_by_field_name("operator")
                    .is_some_and(|o| text(o, src) == "&&")
                    && parent
                        .child_by_field_name("right")
                        .is_some_and(|r| r.id() == child.id()) =>
            {
                (parent.child_by_field_name("left"), true)
            }
            _ => (None, true),
        };
        if let Some(condition) = condition
            && let Some(side) = condition_side(condition, src, taken, 0)
        {
            return Some(side);
        }
        child = parent;
    }
    None
}

/// What a condition being `holds` says about the environment.
fn condition_side(node: Node, src: &str, holds: bool, depth: usize) -> Option<Side> {
    if depth > 16 {
        return None;
    }
    match node.kind() {
        "parenthesized_expression" => condition_side(node.named_child(0)?, src, holds, depth + 1),
        "unary_expression" if text(node.child_by_field_name("operator")?, src) == "!" => {
            condition_side(
                node.child_by_field_name("argument")?,
                src,
                !holds,
                depth + 1,
            )
        }
        "binary_expression" => {
            let op = text(node.child_by_field_name("operator")?, src);
            let (left, right) = (
                node.child_by_field_name("left")?,
                node.child_by_field_name("right")?,
            );
            match op {
                // Both parts hold when the whole does.
                "&&" if holds => condition_side(left, src, true, depth + 1)
                    .or_else(|| condition_side(right, src, true, depth + 1)),
                "||" if !holds => condition_side(left, src, false, depth + 1)
                    .or_else(|| condition_side(right, src, false, depth + 1)),
                "===" | "==" | "!==" | "!=" => {
                    let (env, literal) = if string_content(right, src).is_some() {
                        (left, right)
                    } else {
                        (right, left)
                    };
                    if !is_env_name(text(env, src)) {
                        return None;
                    }
                    let span = string_content(literal, src)?;
                    let name = src.get(span.start()..span.end())?;
                    let equal = matches!(op, "===" | "==") == holds;
                    named_side(name, equal)
                }
                _ => None,
            }
        }
        // `if (isDev)`, `if (config.isProduction)`.
        "identifier" | "member_expression" => {
            let name = text(node, src);
            let last = name.rsplit('.').next().unwrap_or(name);
            let word = last
                .strip_prefix("is")
                .or_else(|| last.strip_prefix("IS_"))?;
            named_side(word, holds)
        }
        _ => None,
    }
}

/// The side when the environment is (`equal`) or is not the one called `name`.
fn named_side(name: &str, equal: bool) -> Option<Side> {
    let production = is_production_word(name);
    let throwaway = name_context(name).filter(|c| *c != Context::Production);
    match (equal, production, throwaway) {
        (true, true, _) => Some(Side::Production),
        (true, false, Some(c)) => Some(Side::Throwaway(c)),
        // Anything but production: a developer's or a test's run.
        (false, true, _) => Some(Side::Throwaway(Context::Local)),
        _ => None,
    }
}

/// An expression naming the deployment environment: `process.env.NODE_ENV`, `env`,
/// `config.environment`, `app.get('env')`.
fn is_env_name(expr: &str) -> bool {
    let last = expr
        .rsplit(['.', '['])
        .next()
        .unwrap_or(expr)
        .trim_matches(['\'', '"', ']', ')', '(']);
    matches!(
        last.to_ascii_lowercase().as_str(),
        "node_env" | "env" | "environment" | "app_env" | "nodeenv" | "get('env'" | "stage"
    ) || expr.contains("NODE_ENV")
        || expr.replace('"', "'").ends_with("get('env')")
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::source::SourceFile;

    fn settings(path: &str, text: &str) -> Vec<(String, String, Context)> {
        let f = FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::AppCode,
            Context::Production,
        );
        f.settings
            .iter()
            .filter_map(|e| {
                let v = e.value.as_ref()?;
                Some((e.key.value.clone(), v.value.clone(), f.context_at(v.span)))
            })
            .collect()
    }

    #[test]
    fn typeorm_and_sequelize() {
        let text = "TypeOrmModule.forRoot({ type: 'postgres', synchronize: true, dropSchema: false });\nconst ui = { synchronize: true };\nif (process.env.NODE_ENV !== 'production') {\n  sequelize.sync({ force: true });\n} else {\n  db.sync({ alter: true });\n}\nprocess.env.NODE_ENV === 'test' && User.sync({ force: true });\nnew DataSource({ entities: [], synchronize: process.env.NODE_ENV !== 'production' });\n";
        let got = settings("src/app.module.ts", text);
        let want: Vec<(String, String, Context)> = [
            ("synchronize", "true", Context::Production),
            ("dropSchema", "false", Context::Production),
            ("sync.force", "true", Context::Local),
            ("sync.alter", "true", Context::Production),
            ("profile", "production", Context::Production),
            ("sync.force", "true", Context::Test),
            (
                "synchronize",
                "process.env.NODE_ENV !== 'production'",
                Context::Production,
            ),
        ]
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), *c))
        .collect();
        assert_eq!(got, want);
    }
}
