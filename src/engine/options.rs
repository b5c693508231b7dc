//! Options resolved once per scan: the rules that run and the level each reports at, the context
//! and dialect overrides compiled from the config's globs, the size limit, the knowledge tables
//! the config extends, and the one [`WalkOptions`] every walk of the scan uses.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::{ContextOverrides, DialectOverrides, RuleNames};
use crate::engine::{DEFAULT_MAX_FILE_SIZE, Error, ScanOptions};
use crate::knowledge::backup::Catalog;
use crate::knowledge::framework::FrameworkTable;
use crate::knowledge::stateful::StatefulTable;
use crate::levels::Level;
use crate::rules::{self, RULES, RuleMeta};
use crate::walk::WalkOptions;

/// Everything a scan needs from [`ScanOptions`] and its config, checked and compiled.
pub(crate) struct Resolved {
    pub meta: &'static [RuleMeta],
    /// Indices into [`RULES`] of the rules whose findings are reported.
    pub enabled: Vec<usize>,
    pub enabled_ids: BTreeSet<&'static str>,
    pub overrides: ContextOverrides,
    pub dialects: DialectOverrides,
    /// Rule id → the level the config sets for it.
    pub level_overrides: BTreeMap<String, Level>,
    pub max_file_size: u64,
    /// The config's extra password variable names (`password-variables`).
    pub password_variables: Vec<String>,
    /// The stateful-images table with the config's `[[stateful-images]]`, when it adds any.
    pub stateful: Option<StatefulTable>,
    /// Backup commands and sidecar images, with the config's additions.
    pub backup_catalog: Catalog,
    /// The framework-commands table with the config's `[[framework-commands]]`, when it adds any.
    pub framework: Option<FrameworkTable>,
    walk: WalkOptions,
    pub file_paths_from_cwd: bool,
    /// File-list mode: the root-relative paths whose findings are reported.
    pub only: Vec<String>,
    pub stdin: Option<(String, Vec<u8>)>,
    /// `root_in_config` with a trailing `/` (or empty): prefixed to a path before the config's
    /// context and dialect globs are matched.
    config_prefix: String,
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicUsize>>,
}

/// The rule ids, aliases and packs a config or the command line may name.
pub fn rule_names() -> Result<RuleNames, Error> {
    let meta = rules::metadata().map_err(Error::RuleMetadata)?;
    Ok(RuleNames {
        rules: meta
            .iter()
            .flat_map(|m| std::iter::once(m.id.clone()).chain(m.aliases.iter().cloned()))
            .collect(),
        packs: rules::PACKS.iter().map(|p| p.to_string()).collect(),
    })
}

impl Resolved {
    pub fn new(opts: &ScanOptions) -> Result<Resolved, Error> {
        let meta = rules::metadata().map_err(Error::RuleMetadata)?;
        let enabled = enabled_rules(opts, meta)?;
        let mut level_overrides = BTreeMap::new();
        for (id, rule) in &opts.config.rules {
            let Some(found) = rules::lookup(id) else {
                return Err(Error::Config(format!(
                    "unknown rule `{id}` in [rules.{id}]"
                )));
            };
            if let Some(level) = rule.level {
                level_overrides.insert(found.id.clone(), level);
            }
        }
        let config = &opts.config;
        let root_in_config = opts.root_in_config.trim_matches('/');
        let mut exclude: Vec<String> = config
            .exclude
            .iter()
            .filter_map(|g| rebase_glob(g, root_in_config))
            .collect();
        exclude.extend(opts.exclude.iter().cloned());
        Ok(Resolved {
            meta,
            enabled_ids: enabled.iter().map(|&i| RULES[i].id).collect(),
            enabled,
            overrides: ContextOverrides::new(&config.contexts).map_err(Error::Config)?,
            dialects: DialectOverrides::new(&config.sql_dialects).map_err(Error::Config)?,
            level_overrides,
            max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            password_variables: config.password_variables.clone(),
            stateful: (!config.stateful_images.is_empty())
                .then(|| StatefulTable::with_config(&config.stateful_images)),
            backup_catalog: Catalog::with_config(&config.backup_commands, &config.backup_images),
            framework: (!config.framework_commands.is_empty())
                .then(|| FrameworkTable::with_config(&config.framework_commands)),
            walk: WalkOptions {
                exclude,
                no_ignore: opts.no_ignore,
                threads: opts.threads,
                max_depth: None,
            },
            file_paths_from_cwd: opts.file_paths_from_cwd,
            only: opts.only.clone(),
            stdin: opts.stdin.clone(),
            config_prefix: if root_in_config.is_empty() {
                String::new()
            } else {
                format!("{root_in_config}/")
            },
            progress: opts.progress.clone(),
        })
    }

    /// A root-relative path as the config's globs see it (relative to the config's directory).
    pub fn config_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.config_prefix)
    }

    /// The level rule `i` reports at: the config's override, else its default.
    pub fn level_of(&self, i: usize) -> Level {
        let m = &self.meta[i];
        self.level_overrides
            .get(&m.id)
            .copied()
            .unwrap_or(m.severity)
    }

    /// The walk of a directory, or of a file argument's own directory (its entries only).
    pub fn walk_options(&self, file_argument: bool) -> WalkOptions {
        WalkOptions {
            max_depth: file_argument.then_some(1),
            ..self.walk.clone()
        }
    }
}

/// A config `exclude` glob (gitignore syntax, relative to the config's directory) as seen from a
/// scan root `root_in_config` below that directory. A glob without a `/` (other than a trailing
/// one) matches at any depth and stays; an anchored one loses the root's prefix, or is dropped
/// when it can only match outside the root.
fn rebase_glob(glob: &str, root_in_config: &str) -> Option<String> {
    if root_in_config.is_empty() {
        return Some(glob.to_string());
    }
    let (negated, body) = match glob.strip_prefix('!') {
        Some(b) => ("!", b),
        None => ("", glob),
    };
    let anchored = body.trim_end_matches('/').contains('/');
    if !anchored || body.starts_with("**/") {
        return Some(glob.to_string());
    }
    let body = body.trim_start_matches('/');
    let mut rest = body;
    for part in root_in_config.split('/') {
        if rest.is_empty() {
            // `/fixtures/` seen from `fixtures/drop-table`: the root is inside it.
            return Some(format!("{negated}/**"));
        }
        let Some((first, tail)) = rest.split_once('/') else {
            // The glob names the root itself or a directory above it (`services/`): it
            // excludes everything here.
            return (globset::Glob::new(rest).is_ok_and(|g| g.compile_matcher().is_match(part)))
                .then(|| format!("{negated}/**"));
        };
        if first == "**" {
            return Some(format!("{negated}/{rest}"));
        }
        let matches = globset::Glob::new(first).is_ok_and(|g| g.compile_matcher().is_match(part));
        if !matches {
            return None;
        }
        rest = tail;
    }
    Some(format!("{negated}/{rest}"))
}

/// The resolved set of rules to run.
fn enabled_rules(opts: &ScanOptions, meta: &[RuleMeta]) -> Result<Vec<usize>, Error> {
    let known = |s: &str| {
        rules::PACKS.contains(&s)
            || meta
                .iter()
                .any(|m| m.id == s || m.aliases.iter().any(|a| a == s))
    };
    let select: Vec<&String> = if opts.select.is_empty() {
        opts.config.select.iter().collect()
    } else {
        opts.select.iter().collect()
    };
    let ignore: Vec<&String> = opts.ignore.iter().chain(&opts.config.ignore).collect();
    for s in select.iter().chain(&ignore) {
        if !known(s) {
            let names = meta
                .iter()
                .flat_map(|m| std::iter::once(&m.id).chain(&m.aliases))
                .map(String::as_str)
                .chain(rules::PACKS.iter().copied());
            let hint = crate::notice::did_you_mean_hint(s, names);
            return Err(Error::UnknownRule((*s).clone(), hint));
        }
    }
    let matches =
        |m: &RuleMeta, s: &str| m.id == s || m.pack == s || m.aliases.iter().any(|a| a == s);
    Ok(meta
        .iter()
        .enumerate()
        .filter(|(_, m)| select.is_empty() || select.iter().any(|s| matches(m, s)))
        .filter(|(_, m)| !ignore.iter().any(|s| matches(m, s)))
        .map(|(i, _)| i)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::rebase_glob;

    #[test]
    fn config_globs_follow_the_root() {
        let cases = [
            ("vendor/", "api", Some("vendor/")),
            ("*.generated.sql", "api", Some("*.generated.sql")),
            ("/api/fixtures/", "api", Some("/fixtures/")),
            ("api/fixtures/**", "api", Some("/fixtures/**")),
            ("web/fixtures/", "api", None),
            ("*/fixtures/", "api", Some("/fixtures/")),
            ("**/fixtures/", "api", Some("**/fixtures/")),
            ("services/", "services/api", Some("services/")),
            ("/services", "services/api", Some("/**")),
            ("services/api/x.sh", "services/api", Some("/x.sh")),
            ("fixtures/", "", Some("fixtures/")),
            ("/fixtures/", "fixtures/drop-table", Some("/**")),
            ("/tests/cmd/", "examples/demo", None),
        ];
        for (glob, root, want) in cases {
            assert_eq!(
                rebase_glob(glob, root).as_deref(),
                want,
                "{glob} from {root}"
            );
        }
    }
}
