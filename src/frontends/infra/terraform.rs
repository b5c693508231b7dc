//! Terraform and OpenTofu (`.tf`): the configuration parsed with tree-sitter-hcl into
//! [`crate::model::infra::Resource`]s, one per `resource` and `module` block, with every
//! attribute of the block and its nested blocks (and object values) flattened to a dotted path and
//! its value kept when it is a non-secret literal.
//!
//! Credentials: a string literal without interpolation in a password attribute of a database
//! resource (which attributes those are is `rules/managed-databases.toml`), and the `default` of a
//! `variable` named like a database password. `var.x`, `"${…}"`, `data.…`, `random_password.…`
//! and function calls are references, never literals. Which settings lose data is decided by the
//! rules, not here.

use tree_sitter::Node;

use crate::frontends::secrets::record_literal;
use crate::knowledge::credentials::is_password_var;
use crate::knowledge::managed_db::ManagedDbTable;
use crate::model::FileFacts;
use crate::model::infra::{Resource, Setting, SettingValue, TfValue};
use crate::model::secret::{Origin, SecretClass};
use crate::notice::{Notice, NoticeKind};
use crate::source::Span;
use crate::syntax::{Grammar, child_of_kind, first_error, parse_tree};

/// Nested blocks and objects deeper than this are not followed.
const MAX_DEPTH: usize = 32;

/// Read a Terraform file into `facts.infra` (and its credentials into `facts.credentials`).
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let Some(tree) = parse_tree(Grammar::Hcl, &text) else {
        return;
    };
    let root = tree.root_node();
    if root.has_error() {
        let at = first_error(root).map(|n| n.start_byte()).unwrap_or(0);
        let line = facts.file.position(at).line;
        facts.notices.push(
            Notice::file(
                &facts.file.path,
                NoticeKind::ParseError,
                "HCL syntax error: blocks after it may not be read",
            )
            .at_line(line),
        );
    }
    let Some(body) = child_of_kind(root, "body") else {
        return;
    };
    let tfvars = facts.file.path.ends_with(".tfvars");
    let mut cursor = body.walk();
    for block in body.named_children(&mut cursor) {
        if tfvars && block.kind() == "attribute" {
            tfvars_assignment(facts, &text, block);
            continue;
        }
        if block.kind() != "block" {
            continue;
        }
        let Some(head) = block_head(block, &text) else {
            continue;
        };
        match (head.ident.as_str(), head.labels.as_slice()) {
            ("resource", [kind, name, ..]) => {
                read_resource(facts, &text, block, "resource", kind, name, head.span);
            }
            ("module", [name, ..]) => {
                let source = block_body(block)
                    .and_then(|b| attribute(b, &text, "source"))
                    .and_then(|v| string_literal(v, &text))
                    .map(|(s, _)| s)
                    .unwrap_or_default();
                read_resource(facts, &text, block, "module", &source, name, head.span);
            }
            ("variable", [name, ..]) => variable_default(facts, &text, block, name),
            _ => {}
        }
    }
}

/// A block's keyword, labels and header span.
struct Head {
    ident: String,
    labels: Vec<String>,
    span: Span,
}

fn block_head(block: Node, text: &str) -> Option<Head> {
    let mut ident = None;
    let mut labels = Vec::new();
    let mut end = block.start_byte();
    let mut cursor = block.walk();
    for child in block.children(&mut cursor) {
        match child.kind() {
            "identifier" if ident.is_none() => ident = Some(slice(text, child).to_string()),
            "identifier" => labels.push(slice(text, child).to_string()),
            "string_lit" => labels.push(string_lit_text(child, text)),
            "block_start" => break,
            _ => {}
        }
        end = child.end_byte();
    }
    Some(Head {
        ident: ident?,
        labels,
        span: Span::new(block.start_byte(), end),
    })
}

fn read_resource(
    facts: &mut FileFacts,
    text: &str,
    block: Node,
    keyword: &str,
    kind: &str,
    name: &str,
    span: Span,
) {
    let mut resource = Resource {
        block: keyword.to_string(),
        kind: kind.to_string(),
        name: name.to_string(),
        span,
        settings: Vec::new(),
    };
    if let Some(body) = block_body(block) {
        collect_body(body, text, "", 0, &mut resource.settings);
    }
    let has = |a: &str| resource.setting(a).is_some();
    let db = ManagedDbTable::builtin().database_of(keyword, kind, &has);
    let passwords: Vec<String> = db
        .map(|d| d.password_attributes.clone())
        .unwrap_or_default();
    let user = resource_user(&resource, db.map(|d| d.what.as_str()));
    for setting in &mut resource.settings {
        if !passwords.contains(&setting.path) {
            continue;
        }
        let SettingValue::Str(value) = &setting.value else {
            continue;
        };
        let value = value.clone();
        setting.value = SettingValue::Secret;
        let Some(value_span) = literal_span(text, setting.span) else {
            continue;
        };
        record_literal(
            facts,
            value_span,
            &value,
            setting.path.clone(),
            Origin::Terraform {
                address: resource_address(keyword, kind, name),
                what: db.map(|d| d.what.clone()).unwrap_or_default(),
            },
            user.as_deref(),
            SecretClass::Literal,
        );
    }
    facts.infra.resources.push(resource);
}

fn resource_address(keyword: &str, kind: &str, name: &str) -> String {
    if keyword == "module" {
        format!("module.{name}")
    } else {
        format!("{kind}.{name}")
    }
}

/// The user a password goes with, when the block names it with a literal (a password equal to
/// its user name is a well-known default).
fn resource_user(resource: &Resource, what: Option<&str>) -> Option<String> {
    let user_keys: &[&str] = if what.is_some_and(|w| w.ends_with(" user")) {
        &["name", "user", "username"]
    } else {
        &[
            "username",
            "master_username",
            "administrator_login",
            "user_name",
        ]
    };
    user_keys
        .iter()
        .find_map(|k| match resource.setting(k).map(|s| &s.value) {
            Some(SettingValue::Str(u)) => Some(u.clone()),
            _ => None,
        })
}

/// The value's host span inside an attribute `name = "value"`: between the quotes after `=`.
fn literal_span(text: &str, attribute: Span) -> Option<Span> {
    let attr = text.get(attribute.start()..attribute.end())?;
    let eq = attr.find('=')?;
    let open = eq + attr[eq..].find('"')?;
    let close = attr.rfind('"')?;
    (close > open + 1).then(|| Span::new(attribute.start() + open + 1, attribute.start() + close))
}

/// Whether a variable's literal may be kept as a value: not when it is named like a secret.
fn keepable(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    !(is_password_var(name)
        || [
            "PASSWORD",
            "SECRET",
            "TOKEN",
            "KEY",
            "PASS",
            "PWD",
            "CREDENTIAL",
            "AUTH",
        ]
        .iter()
        .any(|w| upper.contains(w)))
}

/// `skip_final_snapshot = true` in `terraform.tfvars`: the value every `var.skip_final_snapshot`
/// of the folder's configuration gets.
fn tfvars_assignment(facts: &mut FileFacts, text: &str, attribute: Node) {
    let (Some(key), Some(value)) = (
        child_of_kind(attribute, "identifier"),
        child_of_kind(attribute, "expression"),
    ) else {
        return;
    };
    let name = slice(text, key).to_string();
    if !keepable(&name) {
        return;
    }
    let value = literal_value(value, text);
    if value == SettingValue::Expr {
        return;
    }
    facts.infra.tfvars.push(TfValue {
        name,
        value,
        span: Span::new(attribute.start_byte(), attribute.end_byte()),
    });
}

/// `variable "db_password" { default = "…" }`: a literal default of a variable named like a
/// database password is what runs whenever nobody sets it. Other literal defaults are kept as
/// values (`variable "skip_final_snapshot" { default = true }`) for the settings that use them.
fn variable_default(facts: &mut FileFacts, text: &str, block: Node, name: &str) {
    if keepable(name)
        && let Some(default) = block_body(block).and_then(|b| attribute_node(b, text, "default"))
        && let Some(expr) = child_of_kind(default, "expression")
    {
        let value = literal_value(expr, text);
        if value != SettingValue::Expr {
            facts.infra.variables.push(TfValue {
                name: name.to_string(),
                value,
                span: Span::new(default.start_byte(), default.end_byte()),
            });
        }
    }
    let looks_like_db_password = is_password_var(name)
        || ManagedDbTable::builtin()
            .database
            .iter()
            .flat_map(|d| &d.password_attributes)
            .any(|a| a == name && a != "password");
    if !looks_like_db_password {
        return;
    }
    let Some(value) = block_body(block).and_then(|b| attribute(b, text, "default")) else {
        return;
    };
    let Some((literal, span)) = string_literal(value, text) else {
        return;
    };
    record_literal(
        facts,
        span,
        &literal,
        name.to_string(),
        Origin::TerraformVariable,
        None,
        SecretClass::Default,
    );
}

/// Every attribute under `body` (nested blocks and object values flattened) into `out`.
fn collect_body(body: Node, text: &str, prefix: &str, depth: usize, out: &mut Vec<Setting>) {
    if depth > MAX_DEPTH {
        return;
    }
    let mut cursor = body.walk();
    for item in body.named_children(&mut cursor) {
        match item.kind() {
            "attribute" => {
                let Some(key) = child_of_kind(item, "identifier") else {
                    continue;
                };
                let Some(value) = child_of_kind(item, "expression") else {
                    continue;
                };
                let path = join(prefix, slice(text, key));
                collect_value(value, text, &path, item, depth, out);
            }
            "block" => {
                let Some(head) = block_head(item, text) else {
                    continue;
                };
                // `dynamic "x" { content { … } }` settings depend on the iteration: not literal.
                if head.ident == "dynamic" {
                    continue;
                }
                if let Some(inner) = block_body(item) {
                    collect_body(inner, text, &join(prefix, &head.ident), depth + 1, out);
                }
            }
            _ => {}
        }
    }
}

fn collect_value(
    value: Node,
    text: &str,
    path: &str,
    whole: Node,
    depth: usize,
    out: &mut Vec<Setting>,
) {
    let span = Span::new(whole.start_byte(), whole.end_byte());
    if let Some(object) = object_of(value) {
        out.push(Setting {
            path: path.to_string(),
            value: SettingValue::Expr,
            span,
            var_ref: None,
        });
        if depth > MAX_DEPTH {
            return;
        }
        let mut cursor = object.walk();
        for elem in object.named_children(&mut cursor) {
            if elem.kind() != "object_elem" {
                continue;
            }
            let (Some(key), Some(val)) = (
                elem.child_by_field_name("key"),
                elem.child_by_field_name("val"),
            ) else {
                continue;
            };
            let key = match string_literal(key, text) {
                Some((s, _)) => s,
                None => slice(text, key).trim().to_string(),
            };
            collect_value(val, text, &join(path, &key), elem, depth + 1, out);
        }
        return;
    }
    out.push(Setting {
        path: path.to_string(),
        value: literal_value(value, text),
        span,
        var_ref: var_ref(value, text),
    });
}

/// `var.name` as a whole expression: the variable's name.
fn var_ref(expr: Node, text: &str) -> Option<String> {
    let name = slice(text, expr).trim().strip_prefix("var.")?;
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| name.to_string())
}

/// The object an expression is, if it is one (`{ enabled = false }`).
fn object_of(expr: Node) -> Option<Node> {
    let collection = child_of_kind(expr, "collection_value")?;
    child_of_kind(collection, "object")
}

fn literal_value(expr: Node, text: &str) -> SettingValue {
    let Some(lit) = child_of_kind(expr, "literal_value") else {
        if let Some((s, _)) = string_literal(expr, text) {
            return SettingValue::Str(s);
        }
        return SettingValue::Expr;
    };
    let Some(inner) = lit.named_child(0) else {
        return SettingValue::Expr;
    };
    match inner.kind() {
        "bool_lit" => SettingValue::Bool(slice(text, inner).trim() == "true"),
        "numeric_lit" => slice(text, inner)
            .trim()
            .parse()
            .map_or(SettingValue::Expr, SettingValue::Number),
        "string_lit" => SettingValue::Str(string_lit_text(inner, text)),
        _ => SettingValue::Expr,
    }
}

/// A string without interpolation (`"abc"`), with its content's host span.
fn string_literal(expr: Node, text: &str) -> Option<(String, Span)> {
    let lit = if expr.kind() == "string_lit" {
        expr
    } else {
        let literal = child_of_kind(expr, "literal_value")?;
        child_of_kind(literal, "string_lit")?
    };
    let mut cursor = lit.walk();
    let parts: Vec<Node> = lit
        .named_children(&mut cursor)
        .filter(|c| c.kind() == "template_literal")
        .collect();
    let first = parts.first()?;
    let last = parts.last()?;
    let span = Span::new(first.start_byte(), last.end_byte());
    Some((string_lit_text(lit, text), span))
}

/// The text of a `string_lit` between its quotes.
fn string_lit_text(lit: Node, text: &str) -> String {
    let raw = slice(text, lit);
    raw.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw)
        .replace("\\\"", "\"")
        .replace("\\\\", "\\")
}

/// An attribute's value expression in a body, by key.
fn attribute<'t>(body: Node<'t>, text: &str, key: &str) -> Option<Node<'t>> {
    child_of_kind(attribute_node(body, text, key)?, "expression")
}

/// The whole `key = …` attribute of a body.
fn attribute_node<'t>(body: Node<'t>, text: &str, key: &str) -> Option<Node<'t>> {
    let mut cursor = body.walk();
    body.named_children(&mut cursor).find(|item| {
        item.kind() == "attribute"
            && child_of_kind(*item, "identifier").is_some_and(|k| slice(text, k) == key)
    })
}

fn block_body(block: Node) -> Option<Node> {
    child_of_kind(block, "body")
}

fn slice<'a>(text: &'a str, node: Node) -> &'a str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::FileFacts;
    use crate::model::infra::SettingValue;
    use crate::source::SourceFile;

    fn facts(text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new("main.tf", text),
            FileKind::Terraform,
            Context::Production,
        )
    }

    #[test]
    fn resources_settings_and_literal_passwords() {
        let text = r#"
resource "aws_db_instance" "main" {
  engine              = "postgres"
  password            = "s3cr3t-pw"
  skip_final_snapshot = true
  backup_retention_period = 0
  lifecycle {
    prevent_destroy = false
  }
}
resource "aws_rds_cluster" "c" {
  master_password = var.db_password
}
resource "google_sql_database_instance" "g" {
  settings {
    backup_configuration {
      enabled = false
    }
  }
}
module "db" {
  source   = "terraform-aws-modules/rds/aws"
  password = "${var.pw}"
  backup_configuration = { enabled = false }
}
variable "db_password" {
  default = "hunter22"
}
"#;
        let f = facts(text);
        let r = &f.infra.resources;
        assert_eq!(r.len(), 4, "{r:?}");
        assert_eq!(r[0].address(), "aws_db_instance.main");
        assert_eq!(
            r[0].setting("skip_final_snapshot").map(|s| &s.value),
            Some(&SettingValue::Bool(true))
        );
        assert_eq!(
            r[0].setting("backup_retention_period").map(|s| &s.value),
            Some(&SettingValue::Number(0.0))
        );
        assert_eq!(
            r[0].setting("lifecycle.prevent_destroy").map(|s| &s.value),
            Some(&SettingValue::Bool(false))
        );
        assert_eq!(
            r[0].setting("password").map(|s| &s.value),
            Some(&SettingValue::Secret)
        );
        assert_eq!(
            r[2].setting("settings.backup_configuration.enabled")
                .map(|s| &s.value),
            Some(&SettingValue::Bool(false))
        );
        assert_eq!(r[3].kind, "terraform-aws-modules/rds/aws");
        assert_eq!(
            r[3].setting("backup_configuration.enabled")
                .map(|s| &s.value),
            Some(&SettingValue::Bool(false))
        );
        let found: Vec<&str> = f.credentials.iter().map(|c| f.file.slice(c.span)).collect();
        assert_eq!(found, ["s3cr3t-pw", "hunter22"]);
        assert!(
            f.redacted_text()
                .contains("password            = \"*********\"")
        );
    }

    #[test]
    fn broken_hcl_is_a_notice_not_a_panic() {
        let f = facts("resource \"aws_db_instance\" \"x\" {\n  password = \"abc\n");
        assert!(!f.notices.is_empty());
    }
}
