//! Standalone programs that send SQL to a database (`rules/program-clients.toml`, shipped as data
//! and read once): which client calls take SQL per language, the dialect a program speaks, and
//! which program file a command line runs.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::classify::{ProgramLanguage, program_language_of_name};
use crate::knowledge::framework::FrameworkTable;

const TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/program-clients.toml"
));

/// A `[[language]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageEntry {
    pub name: String,
    pub methods: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A `[[dialect]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DialectEntry {
    pub name: String,
    pub words: Vec<String>,
}

/// A `[[password-argument]]`: a connection call whose password is positional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordArgument {
    pub call: String,
    /// 1-based.
    pub position: usize,
}

/// The whole table.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramTable {
    pub dialect: Vec<DialectEntry>,
    pub language: Vec<LanguageEntry>,
    #[serde(rename = "password-argument")]
    pub password_argument: Vec<PasswordArgument>,
}

impl ProgramTable {
    /// The table shipped in `rules/program-clients.toml`.
    pub fn builtin() -> &'static ProgramTable {
        static TABLE_CELL: OnceLock<ProgramTable> = OnceLock::new();
        TABLE_CELL.get_or_init(|| {
            // The file is part of the binary and tested; an error here is a build defect.
            toml::from_str(TABLE).unwrap_or_else(|e| panic!("rules/program-clients.toml: {e}"))
        })
    }

    /// The entry of `language`.
    pub fn entry(&self, language: ProgramLanguage) -> Option<&LanguageEntry> {
        let name = match language {
            ProgramLanguage::JavaScript => "javascript",
            ProgramLanguage::Python => "python",
            ProgramLanguage::Ruby => "ruby",
            ProgramLanguage::Php => "php",
        };
        self.language.iter().find(|l| l.name == name)
    }

    /// The 0-based argument of call `name` (`Sequelize`, `PDO`, `mysqli_connect`) that holds a
    /// password, if it is a connection call.
    pub fn password_position(&self, name: &str) -> Option<usize> {
        self.password_argument
            .iter()
            .find(|p| p.call == name)
            .and_then(|p| p.position.checked_sub(1))
    }

    /// The dialect a program's text speaks, by the client library it names: `mysql`, `sqlite`
    /// or `None` (PostgreSQL, the default).
    pub fn dialect_of(&self, text: &str) -> Option<&str> {
        self.dialect
            .iter()
            .find(|d| d.words.iter().any(|w| text.contains(w.as_str())))
            .map(|d| d.name.as_str())
    }

    /// The program file a command line runs, as written: `node scripts/nuke.js`, `npx tsx
    /// tools/reset.ts`, `./bin/wipe.py`, `python -m tools.wipe` (→ `tools/wipe.py`). `words` are
    /// the command's words with wrappers (`sudo`, `env`) already peeled; runners and
    /// interpreters are peeled with the framework table's.
    pub fn program_run(&self, words: &[String], framework: &FrameworkTable) -> Option<String> {
        let at = framework.peel(words);
        let word = words.get(at)?;
        // `python -m tools.wipe`: the module's file.
        if at > 0 && words[at - 1] == "-m" {
            if word.is_empty()
                || !word
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                return None;
            }
            return Some(format!("{}.py", word.replace('.', "/")));
        }
        if word.contains('$') {
            return None;
        }
        let name = word.rsplit('/').next().unwrap_or(word);
        program_language_of_name(name)?;
        Some(word.trim_start_matches("./").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Option<String> {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        ProgramTable::builtin().program_run(&words, FrameworkTable::builtin())
    }

    #[test]
    fn programs_named_by_commands() {
        assert_eq!(
            run("node scripts/nuke.js").as_deref(),
            Some("scripts/nuke.js")
        );
        assert_eq!(
            run("npx tsx tools/reset.ts --yes").as_deref(),
            Some("tools/reset.ts")
        );
        assert_eq!(run("./bin/wipe.py").as_deref(), Some("bin/wipe.py"));
        assert_eq!(
            run("python3 -u db/reset.py").as_deref(),
            Some("db/reset.py")
        );
        assert_eq!(
            run("python -m tools.wipe").as_deref(),
            Some("tools/wipe.py")
        );
        assert_eq!(
            run("bundle exec ruby script/clean.rb").as_deref(),
            Some("script/clean.rb")
        );
        assert_eq!(run("php bin/wipe.php").as_deref(), Some("bin/wipe.php"));
        // Not a program file of the repository.
        assert_eq!(run("node server"), None);
        assert_eq!(run("python manage.py flush"), Some("manage.py".to_string()));
        assert_eq!(run("node $SCRIPT"), None);
        assert_eq!(run("npm run build"), None);
        assert_eq!(
            run("python -m http.server"),
            Some("http/server.py".to_string())
        );
    }

    #[test]
    fn entries_and_dialects() {
        let t = ProgramTable::builtin();
        for language in [
            ProgramLanguage::JavaScript,
            ProgramLanguage::Python,
            ProgramLanguage::Ruby,
            ProgramLanguage::Php,
        ] {
            assert!(t.entry(language).is_some_and(|e| !e.methods.is_empty()));
        }
        assert_eq!(
            t.dialect_of("const mysql = require('mysql2')"),
            Some("mysql")
        );
        assert_eq!(
            t.dialect_of("import Database from 'better-sqlite3'"),
            Some("sqlite")
        );
        assert_eq!(t.dialect_of("import pg from 'pg'"), None);
    }
}
