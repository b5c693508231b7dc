//! Context through calls: a script that only test runs call (a CI job `test`, a `make test`
//! target, a runner under `tests/`) is part of the test setup, and a file that a database image
//! runs from `/docker-entrypoint-initdb.d` runs only on an empty data directory (a first-time
//! setup, like a local one). Its findings are then notes, as the caller's own would be. A
//! script that any production path also calls keeps its own context (the stronger level).
//! Runs once per scan after extraction, and again for scripts called by the ones just changed,
//! to a small depth.

use crate::analysis::backup::path::Analysis;
use crate::analysis::operations::entry_moments;
use crate::classify::FileKind;
use crate::knowledge::backup::Catalog;
use crate::levels::Context;
use crate::model::FileFacts;
use crate::model::command::RunsWhen;

/// Chains of calls (a test job runs `a.sh`, which runs `b.sh`, …) followed this deep.
const MAX_ROUNDS: usize = 4;

/// Give each production script the context of its callers when none of them is production.
pub fn inherit_caller_contexts(files: &mut [FileFacts], catalog: &Catalog) {
    let first_init: Vec<usize> = entry_moments(files)
        .into_iter()
        .filter(|(_, (when, _, _))| *when == RunsWhen::FirstInit)
        .map(|(i, _)| i)
        .collect();
    for i in first_init {
        if files[i].context == Context::Production {
            files[i].context = Context::Local;
        }
    }
    let callable = |f: &FileFacts| {
        matches!(
            f.kind,
            FileKind::Shell | FileKind::PowerShell | FileKind::Program
        )
    };
    if !files.iter().any(callable) {
        return;
    }
    for _ in 0..MAX_ROUNDS {
        let calls = Analysis::new(files, catalog).script_call_contexts();
        let changes: Vec<(usize, Context)> = calls
            .into_iter()
            .filter(|(target, _)| {
                files[*target].context == Context::Production && callable(&files[*target])
            })
            .filter_map(|(target, contexts)| inherited(&contexts).map(|c| (target, c)))
            .collect();
        if changes.is_empty() {
            break;
        }
        for (target, context) in changes {
            files[target].context = context;
        }
    }
}

/// The context callers give: test when every one is a test run, local when none is
/// production; `None` when a production path calls it too (or nothing does).
fn inherited(callers: &[Context]) -> Option<Context> {
    if callers.is_empty() || callers.contains(&Context::Production) {
        return None;
    }
    if callers.iter().all(|c| *c == Context::Test) {
        Some(Context::Test)
    } else {
        Some(Context::Local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn file(path: &str, kind: FileKind, text: &str) -> FileFacts {
        let context = crate::levels::path_context(path);
        FileFacts::extract(SourceFile::new(path, text), kind, context)
    }

    fn contexts(files: &[FileFacts]) -> Vec<Context> {
        files.iter().map(|f| f.context).collect()
    }

    #[test]
    fn scripts_take_the_context_of_their_callers() {
        let mut files = vec![
            file(
                "Makefile",
                FileKind::Makefile,
                "test:\n\t./scripts/reset-db.sh\n\t./scripts/both.sh\ndeploy:\n\t./scripts/both.sh\n",
            ),
            file(
                "scripts/reset-db.sh",
                FileKind::Shell,
                "#!/bin/sh\n./scripts/wipe.sh\n",
            ),
            file(
                "scripts/wipe.sh",
                FileKind::Shell,
                "#!/bin/sh\ndropdb app\n",
            ),
            file(
                "scripts/both.sh",
                FileKind::Shell,
                "#!/bin/sh\ndropdb app\n",
            ),
            file(
                "scripts/alone.sh",
                FileKind::Shell,
                "#!/bin/sh\ndropdb app\n",
            ),
            file(
                "tests/run.sh",
                FileKind::Shell,
                "#!/bin/sh\n../scripts/seed.sh\n",
            ),
            file(
                "scripts/seed.sh",
                FileKind::Shell,
                "#!/bin/sh\ndropdb app\n",
            ),
            file(
                "README.md",
                FileKind::Markdown,
                "```sh\n./scripts/alone.sh\n```\n",
            ),
        ];
        let catalog = Catalog::builtin();
        inherit_caller_contexts(&mut files, catalog);
        assert_eq!(
            contexts(&files)[1..7],
            [
                Context::Test,
                Context::Test,
                Context::Production,
                Context::Production,
                Context::Test,
                Context::Test,
            ]
        );
    }
}
