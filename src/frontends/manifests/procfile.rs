//! Procfiles (Heroku, Dokku, foreman, honcho): `name: command` per line. The `release` process
//! runs on every deploy, before the new release starts; every other process on every start.

use crate::model::FileFacts;
use crate::model::command::RunsWhen;
use crate::source::OffsetMap;

/// Extract every process of a Procfile.
pub fn extract(facts: &mut FileFacts) {
    let text = facts.file.text.clone();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        if body.trim_start().starts_with('#') {
            continue;
        }
        let Some((name, command)) = body.split_once(':') else {
            continue;
        };
        let name = name.trim();
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            continue;
        }
        let start = at + name.len() + 1 + (command.len() - command.trim_start().len());
        let command = command.trim();
        let when = if name == "release" {
            RunsWhen::EveryDeploy {
                what: "the Procfile `release` phase".to_string(),
            }
        } else {
            RunsWhen::EveryStart {
                what: format!("the Procfile `{name}` process"),
            }
        };
        let map = OffsetMap::verbatim(start, command.len());
        super::add_command(facts, command, &map, "Procfile", name, when);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::command::RunsWhen;
    use crate::source::SourceFile;

    #[test]
    fn release_and_web() {
        let text = "# processes\nrelease: bundle exec rails db:schema:load\nweb:   bundle exec puma -C config/puma.rb\n";
        let f = FileFacts::extract(
            SourceFile::new("Procfile", text),
            FileKind::Procfile,
            Context::Production,
        );
        let got: Vec<(String, bool)> = f
            .shell
            .commands
            .iter()
            .map(|c| {
                let deploy = matches!(f.shell.runs_when(c.span), RunsWhen::EveryDeploy { .. });
                (f.file.slice(c.span).to_string(), deploy)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("bundle exec rails db:schema:load".to_string(), true),
                ("bundle exec puma -C config/puma.rb".to_string(), false),
            ]
        );
    }
}
