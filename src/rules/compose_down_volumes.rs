//! `compose-down-volumes`: see rules/compose-down-volumes.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::cli;
use crate::facts::repo::RepoFacts;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for command in &file.shell.commands {
        let Some(call) = cli::docker(command) else {
            continue;
        };
        if call.compose.is_none() || !call.is(&["down"]) {
            continue;
        }
        let Some(flag) = call.args.flag("volumes").filter(|f| f.is_on()) else {
            continue;
        };
        let program = command.argv[0].display();
        let shown = if program.ends_with("compose") {
            format!("{program} down {}", flag.word.display())
        } else {
            format!("{program} compose down {}", flag.word.display())
        };
        cx.report(
            command.span,
            format!(
                "`{shown}` deletes the project's named and anonymous volumes, and with them any database data they hold"
            ),
        );
    }
}
