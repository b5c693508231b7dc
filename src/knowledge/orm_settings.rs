//! Which ORM settings rebuild the schema at start-up (`rules/orm-settings.toml`, shipped as data
//! and read once): the keys and values `orm-auto-schema` reports, and what the JavaScript front-end
//! looks for in application code (TypeORM options objects, Sequelize `sync({…})`).

use std::sync::OnceLock;

use serde::Deserialize;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/orm-settings.toml"
));

/// `[code]`: what is read from JavaScript/TypeScript application code.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Code {
    pub needles: Vec<String>,
    pub typeorm_object_keys: Vec<String>,
    pub typeorm_calls: Vec<String>,
    pub ephemeral_databases: Vec<String>,
    pub typeorm_options: Vec<String>,
    pub sync_methods: Vec<String>,
    pub sync_options: Vec<String>,
}

/// One value of a setting that loses data, and what it does.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadValue {
    pub value: String,
    pub effect: String,
}

/// A `[[setting]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub orm: String,
    pub keys: Vec<String>,
    pub values: Vec<BadValue>,
}

/// The whole table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrmSettings {
    pub code: Code,
    pub setting: Vec<Setting>,
}

impl OrmSettings {
    /// The ORM and what the value does, when `key` = `value` rebuilds the schema.
    pub fn judge(&self, key: &str, value: &str) -> Option<(&str, &str)> {
        let value = value.trim();
        self.setting
            .iter()
            .filter(|s| s.keys.iter().any(|k| k.eq_ignore_ascii_case(key)))
            .find_map(|s| {
                s.values
                    .iter()
                    .find(|v| v.value.eq_ignore_ascii_case(value))
                    .map(|v| (s.orm.as_str(), v.effect.as_str()))
            })
    }

    /// Whether a source file's bytes may hold a setting written as code.
    pub fn code_may_hold(&self, bytes: &[u8]) -> bool {
        self.code.needles.iter().any(|n| {
            let n = n.as_bytes();
            !n.is_empty() && bytes.windows(n.len()).any(|w| w == n)
        })
    }
}

/// The shipped table.
pub fn orm_settings() -> &'static OrmSettings {
    static TABLE_ONCE: OnceLock<OrmSettings> = OnceLock::new();
    TABLE_ONCE.get_or_init(|| toml::from_str(TABLE).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_table_parses_and_judges() {
        let t: OrmSettings = toml::from_str(TABLE).expect("rules/orm-settings.toml parses");
        assert!(t.judge("spring.jpa.hibernate.ddl-auto", "create").is_some());
        assert!(t.judge("spring.jpa.hibernate.ddl-auto", "update").is_none());
        assert!(t.judge("TYPEORM_SYNCHRONIZE", "true").is_some());
        assert!(t.judge("synchronize", "false").is_none());
        assert_eq!(
            t.judge("sync.force", "true").map(|x| x.0),
            Some("Sequelize")
        );
        assert!(t.code_may_hold(b"await sequelize.sync({ force: true })"));
        assert!(!t.code_may_hold(b"export const x = 1;"));
    }
}
