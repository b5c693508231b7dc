//! Finalising findings: the level each finding ends at (context, guards, config overrides; a
//! down-migration drops it), its fingerprint, and inline suppressions. Suppressions are read once
//! per file and marked on findings *before* the rules that read other findings run, so those
//! rules see what a person already judged intended; unused and unknown suppressions are reported
//! at the end.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::engine::options::Resolved;
use crate::levels::{Context, Level, resolve};
use crate::model::FileFacts;
use crate::rules::{self, Ctx, Finding, UNUSED_SUPPRESSION};
use crate::source::SourceFile;
use crate::suppress::{self, Suppression};

/// Apply context and guards to every finding (down-migrations drop out) and fingerprint it.
pub(crate) fn finalize(findings: &mut Vec<Finding>, files: &[FileFacts], setup: &Resolved) {
    let by_path: BTreeMap<&str, &FileFacts> =
        files.iter().map(|f| (f.file.path.as_str(), f)).collect();
    findings.retain_mut(|finding| {
        let Some(file) = by_path.get(finding.path.as_str()) else {
            return true;
        };
        // A rule sets the context itself when what the command acts on decides it (a teardown
        // of a test Compose project), not the file it is written in.
        let mut own = file.context_at(finding.span);
        // A hosted runner is thrown away after the job; the cloud database it deleted is not.
        if finding.remote && own == Context::EphemeralCi {
            own = file.context;
        }
        let acts_on = finding.context != Context::Production && finding.context != own;
        let context = if finding.context == Context::Production {
            own
        } else {
            finding.context
        };
        let guards_lower = crate::rules::lookup(finding.rule).is_none_or(|m| m.guards_lower);
        if finding.guard.is_none() && guards_lower {
            finding.guard = file.guard_at(finding.span).map(str::to_string);
        }
        let base = setup
            .level_overrides
            .get(finding.rule)
            .copied()
            .unwrap_or(finding.level);
        let Some(level) = resolve(base, context, finding.guard.is_some()) else {
            return false;
        };
        finding.context = context;
        finding.level = level;
        if let Some(guard) = &finding.guard {
            let why = format!(" (level lowered: it runs only behind {guard})");
            append_to_sentence(&mut finding.message, &why);
        } else if context != Context::Production && base > Level::Note {
            let what = if acts_on { "it acts on" } else { "this is" };
            let why = format!(" (reported as a note: {what} {})", context.describe());
            append_to_sentence(&mut finding.message, &why);
        }
        true
    });
    let sources: BTreeMap<&str, &SourceFile> = by_path.iter().map(|(p, f)| (*p, &f.file)).collect();
    crate::report::fingerprint::assign(findings, &sources);
}

/// Add a parenthesis to a message's last sentence, before its full stop if it has one.
fn append_to_sentence(message: &mut String, parenthesis: &str) {
    let full_stop = message.ends_with('.');
    if full_stop {
        message.pop();
    }
    message.push_str(parenthesis);
    if full_stop {
        message.push('.');
    }
}

/// The inline suppressions of every file that has any, read once, with the rule ids each one
/// was used for so far.
pub(crate) struct Suppressions {
    files: BTreeMap<String, FileSuppressions>,
}

struct FileSuppressions {
    list: Vec<Suppression>,
    used: Vec<BTreeSet<String>>,
}

impl Suppressions {
    pub fn read(files: &[FileFacts]) -> Suppressions {
        // Each file is read for its suppressions on its own: in parallel, kept in path order.
        let files = files
            .par_iter()
            .filter_map(|f| {
                let list = suppress::parse(&f.file);
                (!list.is_empty()).then(|| {
                    let used = vec![BTreeSet::new(); list.len()];
                    (f.file.path.clone(), FileSuppressions { list, used })
                })
            })
            .collect();
        Suppressions { files }
    }

    /// Mark every finding a suppression covers (its justification kept), and note the use.
    pub fn mark(&mut self, findings: &mut [Finding], files: &[FileFacts]) {
        let by_path: BTreeMap<&str, &FileFacts> =
            files.iter().map(|f| (f.file.path.as_str(), f)).collect();
        for finding in findings.iter_mut() {
            let Some(own) = self.files.get_mut(&finding.path) else {
                continue;
            };
            let Some(file) = by_path.get(finding.path.as_str()) else {
                continue;
            };
            let line = file.file.position(finding.span.start()).line;
            let aliases = rules::lookup(finding.rule)
                .map(|m| m.aliases.clone())
                .unwrap_or_default();
            for (k, s) in own.list.iter().enumerate() {
                if !s.covers(finding.rule, &aliases, line) {
                    continue;
                }
                if finding.suppressed.is_none() {
                    finding.suppressed = Some(s.reason.clone());
                }
                for id in &s.ids {
                    if id == finding.rule || aliases.contains(id) {
                        own.used[k].insert(id.clone());
                    }
                }
            }
        }
    }

    /// Whether a suppression names a rule that reads other findings (`Check::Post`) and that
    /// rule has not been matched yet.
    pub fn names_unused_post_rule(&self) -> bool {
        let post = |id: &str| {
            rules::RULES
                .iter()
                .any(|r| r.id == id && matches!(r.check, rules::Check::Post(_)))
        };
        self.files.values().any(|own| {
            own.list.iter().zip(&own.used).any(|(s, used)| {
                s.ids
                    .iter()
                    .any(|id| !used.contains(id) && rules::lookup(id).is_some_and(|m| post(&m.id)))
            })
        })
    }

    /// Findings of `unused-suppression`: misplaced, unknown and unused suppressions.
    pub fn audit(&self, files: &[FileFacts], setup: &Resolved) -> Vec<Finding> {
        if !setup.enabled_ids.contains(UNUSED_SUPPRESSION) {
            return Vec::new();
        }
        let mut extra = Vec::new();
        for file in files {
            let Some(own) = self.files.get(&file.file.path) else {
                continue;
            };
            let mut cx = Ctx::new(UNUSED_SUPPRESSION, Level::Note, &file.file.path);
            for (k, s) in own.list.iter().enumerate() {
                if s.misplaced {
                    cx.report(s.span, "This `ignore-file` suppression is not in the file's first comment block, so it suppresses nothing");
                    continue;
                }
                if s.bare {
                    let form = if s.file_wide { "ignore-file" } else { "ignore" };
                    cx.report(s.span, format!("This `dataloss-scan: {form}` names no rule, so it suppresses nothing: list the rule ids it is for, as in `dataloss-scan: {form}[compose-down-volumes] reason`"));
                    continue;
                }
                let where_ = if s.file_wide {
                    "in this file"
                } else if s.trailing {
                    "on this line"
                } else {
                    "on this line or the next"
                };
                for id in &s.ids {
                    match rules::lookup(id) {
                        None => {
                            let known = setup
                                .meta
                                .iter()
                                .flat_map(|m| std::iter::once(&m.id).chain(&m.aliases))
                                .map(String::as_str);
                            let hint = crate::notice::did_you_mean(id, known)
                                .map(|k| format!("; the closest rule id is `{k}`"))
                                .unwrap_or_default();
                            cx.report(s.span, format!("Suppression names `{id}`, which is not a rule id, so it suppresses nothing{hint}"));
                        }
                        Some(m)
                            if !own.used[k].contains(id)
                                && setup.enabled_ids.contains(m.id.as_str())
                                && m.applies_to_kind(file.kind) =>
                        {
                            cx.report(
                                s.span,
                                format!(
                                    "Suppression of `{id}` matches no finding {where_}; remove it"
                                ),
                            );
                        }
                        Some(_) => {}
                    }
                }
            }
            let mut found = cx.into_findings();
            for f in &mut found {
                f.context = file.context;
            }
            let by_file: BTreeMap<&str, &SourceFile> = [(file.file.path.as_str(), &file.file)]
                .into_iter()
                .collect();
            crate::report::fingerprint::assign(&mut found, &by_file);
            extra.extend(found);
        }
        extra
    }
}
