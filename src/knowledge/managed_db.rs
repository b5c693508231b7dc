//! Managed databases declared as infrastructure code (`rules/managed-databases.toml`, shipped as
//! data and read once): which Terraform resource types and module sources are databases, which of
//! their attributes hold a password, and which settings take away the way back.
//!
//! The Terraform front-end asks [`ManagedDbTable::database`] which attributes are passwords; the
//! rules ask [`risks`] which written settings lose data. Nothing here reads a file.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::infra::{Resource, Setting, SettingValue};

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/managed-databases.toml"
));

/// A setting that loses data when written with a given literal.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SettingRule {
    pub rule: String,
    pub attribute: String,
    pub equals: Option<bool>,
    pub below: Option<f64>,
    pub says: String,
}

/// One kind of managed database.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Database {
    #[serde(default)]
    pub types: Vec<String>,
    #[serde(default)]
    pub modules: Vec<String>,
    #[serde(default)]
    pub module_signature: Vec<String>,
    pub what: String,
    #[serde(default)]
    pub password_attributes: Vec<String>,
    #[serde(default)]
    pub settings: Vec<String>,
}

/// The table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManagedDbTable {
    pub setting: BTreeMap<String, SettingRule>,
    pub database: Vec<Database>,
}

impl ManagedDbTable {
    /// The shipped table (parsed once; a broken table is a build-time bug caught by the tests).
    pub fn builtin() -> &'static ManagedDbTable {
        static BUILTIN: OnceLock<ManagedDbTable> = OnceLock::new();
        BUILTIN.get_or_init(|| toml::from_str(TABLE).unwrap_or_default())
    }

    /// The database a `resource` block of type `kind` (or a `module` block whose `source` is
    /// `kind`) declares, if it is one.
    pub fn database(&self, block: &str, kind: &str) -> Option<&Database> {
        self.database.iter().find(|d| match block {
            "module" => d.modules.iter().any(|m| kind.contains(m.as_str())),
            _ => d.types.iter().any(|t| t == kind),
        })
    }

    /// The database a block declares: by its type or module source, else (for a module of
    /// another source) by the attributes it sets (`has`).
    pub fn database_of(
        &self,
        block: &str,
        kind: &str,
        has: &dyn Fn(&str) -> bool,
    ) -> Option<&Database> {
        self.database(block, kind).or_else(|| {
            (block == "module").then_some(())?;
            self.database.iter().find(|d| {
                !d.module_signature.is_empty() && d.module_signature.iter().all(|a| has(a))
            })
        })
    }
}

/// A written setting that loses data.
#[derive(Clone, Debug, PartialEq)]
pub struct Risk<'a> {
    pub rule: &'a str,
    pub setting: &'a Setting,
    /// How messages name the database (`RDS instance`).
    pub what: &'a str,
    pub says: &'a str,
}

/// The settings of `resource` that lose data, for every rule (literals only).
pub fn risks(resource: &Resource) -> Vec<Risk<'_>> {
    risks_with(resource, &|_| None)
}

/// Like [`risks`], with a setting that is a variable (`var.skip_final_snapshot`) judged by the
/// value `resolve` gives its name (its default, or a `.tfvars` assignment).
pub fn risks_with<'a>(
    resource: &'a Resource,
    resolve: &dyn Fn(&str) -> Option<SettingValue>,
) -> Vec<Risk<'a>> {
    let table = ManagedDbTable::builtin();
    let has = |a: &str| resource.setting(a).is_some();
    let Some(db) = table.database_of(&resource.block, &resource.kind, &has) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for key in &db.settings {
        let Some(rule) = table.setting.get(key) else {
            continue;
        };
        let Some(setting) = resource.setting(&rule.attribute) else {
            continue;
        };
        let resolved = match (&setting.value, &setting.var_ref) {
            (SettingValue::Expr, Some(var)) => resolve(var),
            _ => None,
        };
        if loses_data(rule, resolved.as_ref().unwrap_or(&setting.value)) {
            out.push(Risk {
                rule: &rule.rule,
                setting,
                what: &db.what,
                says: &rule.says,
            });
        }
    }
    out
}

/// Whether a literal value is the one that loses data (Terraform converts `"true"` and `"0"`).
fn loses_data(rule: &SettingRule, value: &SettingValue) -> bool {
    let (as_bool, as_number) = match value {
        SettingValue::Bool(b) => (Some(*b), None),
        SettingValue::Number(n) => (None, Some(*n)),
        SettingValue::Str(s) => (s.trim().parse().ok(), s.trim().parse().ok()),
        SettingValue::Secret | SettingValue::Expr => (None, None),
    };
    match (rule.equals, rule.below) {
        (Some(want), _) => as_bool == Some(want),
        (None, Some(below)) => as_number.is_some_and(|n| n < below),
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn builtin_table_parses_and_every_setting_key_exists() {
        let t: ManagedDbTable = toml::from_str(TABLE).expect("rules/managed-databases.toml parses");
        for db in &t.database {
            assert!(
                !db.types.is_empty() || !db.modules.is_empty() || !db.module_signature.is_empty(),
                "{}",
                db.what
            );
            for key in &db.settings {
                assert!(t.setting.contains_key(key), "unknown setting `{key}`");
            }
        }
        for s in t.setting.values() {
            assert!(
                s.equals.is_some() != s.below.is_some(),
                "{}: one of equals/below",
                s.attribute
            );
        }
    }

    #[test]
    fn judges_literals_only() {
        let resource = |path: &str, value: SettingValue| Resource {
            block: "resource".into(),
            kind: "aws_db_instance".into(),
            name: "main".into(),
            span: Span::new(0, 1),
            settings: vec![Setting {
                path: path.into(),
                value,
                span: Span::new(0, 1),
                var_ref: None,
            }],
        };
        let r = resource("skip_final_snapshot", SettingValue::Bool(true));
        assert_eq!(risks(&r)[0].rule, "db-deletion-protection-off");
        assert!(risks(&resource("skip_final_snapshot", SettingValue::Bool(false))).is_empty());
        assert!(risks(&resource("skip_final_snapshot", SettingValue::Expr)).is_empty());
        let r = resource("backup_retention_period", SettingValue::Number(0.0));
        assert_eq!(risks(&r)[0].rule, "db-backups-disabled");
        let r = resource("backup_retention_period", SettingValue::Str("0".into()));
        assert_eq!(risks(&r).len(), 1);
        assert!(
            risks(&resource(
                "backup_retention_period",
                SettingValue::Number(7.0)
            ))
            .is_empty()
        );
        let t = ManagedDbTable::builtin();
        assert!(
            t.database("module", "terraform-aws-modules/rds/aws")
                .is_some()
        );
        assert!(t.database("resource", "aws_s3_bucket").is_none());
    }
}
