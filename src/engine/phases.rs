//! Phases of the rules: per-file rules and whole-repository rules, all in parallel, then the
//! rules that read the other rules' findings. Each rule runs with its panic caught: a rule that fails says
//! so in a notice, and the scan goes on without its findings.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::prelude::*;

use crate::analysis::repo::RepoFacts;
use crate::engine::options::Resolved;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::notice::{self, Notice, NoticeKind};
use crate::rules::{Check, Ctx, Finding, RULES};

pub(crate) fn run_rules(
    files: &[FileFacts],
    repo: &RepoFacts,
    setup: &Resolved,
    notices: &mut Vec<Notice>,
) -> Vec<Finding> {
    let (per_file, whole) = rayon::join(
        || per_file_rules(files, repo, setup),
        || whole_repository_rules(files, repo, setup),
    );
    let mut findings = Vec::new();
    for (f, n) in per_file {
        findings.extend(f);
        notices.extend(n);
    }
    for (f, n) in whole {
        findings.extend(f);
        notices.extend(n);
    }
    findings
}

/// The per-file rules of every file, in file order.
fn per_file_rules(
    files: &[FileFacts],
    repo: &RepoFacts,
    setup: &Resolved,
) -> Vec<(Vec<Finding>, Vec<Notice>)> {
    files
        .par_iter()
        .map(|file| {
            let mut found = Vec::new();
            let mut problems = Vec::new();
            for (i, rule) in RULES.iter().enumerate() {
                let Check::File(check) = rule.check else {
                    continue;
                };
                if !setup.meta[i].applies_to_kind(file.kind) {
                    continue;
                }
                let mut cx = Ctx::new(rule.id, setup.level_of(i), &file.file.path);
                match catch_unwind(AssertUnwindSafe(|| check(file, repo, &mut cx))) {
                    Ok(()) => found.extend(cx.into_findings()),
                    Err(_) => problems.push(Notice::file(
                        &file.file.path,
                        NoticeKind::InternalError,
                        format!("internal error in rule `{}`; its findings for this file are missing (please report it)", rule.id),
                    )),
                }
            }
            (found, problems)
        })
        .collect()
}

/// The whole-repository rules: independent of each other and of the per-file rules, so they
/// run in parallel with them; their findings are gathered in catalogue order.
fn whole_repository_rules(
    files: &[FileFacts],
    repo: &RepoFacts,
    setup: &Resolved,
) -> Vec<(Vec<Finding>, Option<Notice>)> {
    RULES
        .par_iter()
        .enumerate()
        .filter_map(|(i, rule)| match rule.check {
            Check::Repo(check) => Some(run_whole(rule.id, setup.level_of(i), |cx| {
                check(repo, files, cx)
            })),
            _ => None,
        })
        .collect()
}

/// Run one whole-repository check with its panic caught: a rule that fails says so in a
/// notice, and the scan goes on without its findings.
fn run_whole(
    id: &'static str,
    level: Level,
    check: impl FnOnce(&mut Ctx),
) -> (Vec<Finding>, Option<Notice>) {
    let mut cx = Ctx::new(id, level, "");
    match catch_unwind(AssertUnwindSafe(|| check(&mut cx))) {
        Ok(()) => (cx.into_findings(), None),
        Err(_) => {
            let notice = Notice {
                path: None,
                line: None,
                kind: NoticeKind::InternalError,
                level: notice::NoticeLevel::Warning,
                message: format!(
                    "internal error in rule `{id}`; its findings are missing (please report it)"
                ),
            };
            (Vec::new(), Some(notice))
        }
    }
}

pub(crate) fn run_post_rules(
    files: &[FileFacts],
    repo: &RepoFacts,
    findings: &[Finding],
    setup: &Resolved,
    notices: &mut Vec<Notice>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        let Check::Post(check) = rule.check else {
            continue;
        };
        let (found, problem) = run_whole(rule.id, setup.level_of(i), |cx| {
            check(repo, files, findings, cx)
        });
        out.extend(found);
        notices.extend(problem);
    }
    out
}
