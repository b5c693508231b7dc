//! `docker-volume-remove`: see rules/docker-volume-remove.toml for what/why/fix.

use super::Ctx;
use crate::facts::FileFacts;
use crate::facts::cli::{self, DockerCall};
use crate::facts::repo::RepoFacts;

pub(super) fn check(file: &FileFacts, _repo: &RepoFacts, cx: &mut Ctx) {
    for command in &file.shell.commands {
        let Some(call) = cli::docker(command) else {
            continue;
        };
        let Some(message) = describe(&call) else {
            continue;
        };
        cx.report(command.span, message);
    }
}

/// What the call removes, or `None` when it removes no volume.
fn describe(call: &DockerCall) -> Option<String> {
    let program = call.command.argv[0].display();
    if call.compose.is_some() {
        return (call.is(&["rm"]) && call.args.is_on("volumes")).then(|| {
            format!("`{program} compose rm -v` deletes the anonymous volumes of the removed containers, with any data they hold")
        });
    }
    if call.is(&["volume", "rm"]) || call.is(&["volume", "remove"]) {
        let names: Vec<String> = call
            .args
            .positionals
            .iter()
            .map(|w| format!("`{}`", w.display()))
            .collect();
        if names.is_empty() {
            return None;
        }
        let noun = if names.len() == 1 { "volume" } else { "volumes" };
        return Some(format!(
            "`{program} volume rm` permanently deletes {noun} {} and every file in it",
            names.join(", ")
        ));
    }
    if call.is(&["volume", "prune"]) {
        let scope = if call.args.is_on("all") {
            "every volume not used by a running container"
        } else {
            "every anonymous volume not used by a running container"
        };
        return Some(format!(
            "`{program} volume prune` deletes {scope}, including a stopped database's data"
        ));
    }
    if call.is(&["system", "prune"]) && call.args.is_on("volumes") {
        return Some(format!(
            "`{program} system prune --volumes` deletes every volume not used by a running container, including a stopped database's data"
        ));
    }
    if (call.is(&["rm"]) || call.is(&["container", "rm"]) || call.is(&["container", "remove"]))
        && call.args.is_on("volumes")
    {
        return Some(format!(
            "`{program} rm -v` deletes the anonymous volumes of the removed containers, with any data they hold"
        ));
    }
    None
}
