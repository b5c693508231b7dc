//! Tests of the PowerShell front-end: words, spans, guards, cmdlets, broken input.

use super::*;
use crate::classify::FileKind;
use crate::levels::Context;
use crate::model::command::ShellFacts;
use crate::source::SourceFile;

fn facts(text: &str) -> FileFacts {
    FileFacts::extract(
        SourceFile::new("scripts/reset.ps1", text),
        FileKind::PowerShell,
        Context::Production,
    )
}

/// (line, words) of every command.
fn commands(f: &FileFacts) -> Vec<(u32, String)> {
    f.shell
        .commands
        .iter()
        .map(|c| {
            let words: Vec<String> = c.argv.iter().map(|w| w.display()).collect();
            (f.file.position(c.span.start()).line, words.join(" "))
        })
        .collect()
}

#[test]
fn commands_words_and_spans() {
    let text = "$db = 'shop'\n\
                & docker exec pg psql -c \"DROP DATABASE $db;\"\n\
                docker.exe volume rm `\n  shop_pgdata\n\
                Get-Content .\\reset.sql | docker exec -i pg psql\n\
                Remove-Item -Recurse -Force .\\data\\pg -ErrorAction SilentlyContinue\n\
                Remove-Item .\\data\\pg -Recurse -WhatIf\n";
    let f = facts(text);
    let got = commands(&f);
    assert!(
        got.contains(&(2, "psql -c DROP DATABASE shop;".into())),
        "{got:?}"
    );
    assert!(
        got.contains(&(3, "docker volume rm shop_pgdata".into())),
        "{got:?}"
    );
    assert!(got.contains(&(5, "cat ./reset.sql".into())), "{got:?}");
    assert!(got.contains(&(6, "rm -rf ./data/pg".into())), "{got:?}");
    // `-WhatIf` deletes nothing.
    assert!(
        !got.iter().any(|(l, w)| *l == 7 && w.starts_with("rm")),
        "{got:?}"
    );
    let psql = f.shell.commands_named("psql").next().expect("psql");
    assert_eq!(psql.via, ["docker exec pg"]);
    assert_eq!(
        f.file.slice(psql.span),
        "psql -c \"DROP DATABASE $db;\"",
        "the span ends at the string's closing quote"
    );
    let piped = f.shell.commands_named("psql").nth(1).expect("piped psql");
    assert_eq!(
        piped.piped_from.as_ref().map(|p| p.argv.clone()),
        Some(vec!["cat".to_string(), "./reset.sql".to_string()])
    );
}

#[test]
fn read_host_is_a_confirmation_guard() {
    let text = "$answer = Read-Host \"Type yes to delete the volume\"\n\
                if ($answer -ne 'yes') { exit 1 }\n\
                docker volume rm shop_pgdata\n";
    let f = facts(text);
    let rm = f.shell.commands_named("docker").next().expect("docker");
    let guard = f.guard_at(rm.span);
    assert!(
        guard.is_some_and(|g| g.contains("interactive confirmation")),
        "{guard:?}"
    );
    // Without the check, no guard.
    let f = facts("$answer = Read-Host 'go?'\ndocker volume rm shop_pgdata\n");
    let rm = f.shell.commands_named("docker").next().expect("docker");
    assert_eq!(f.guard_at(rm.span), None);
}

#[test]
fn out_file_is_a_redirect_and_native_errors_do_not_stop() {
    let text = "$ErrorActionPreference = 'Stop'\n\
                docker exec pg pg_dump shop | Out-File -Encoding utf8 backup.sql\n\
                docker compose down -v\n";
    let (out, _) = lower(text);
    assert!(
        out.text.contains("pg_dump shop > backup.sql"),
        "{}",
        out.text
    );
    // `Stop` alone does not stop on a failing native command: no `set -e`.
    assert!(!out.text.contains("set -e"), "{}", out.text);
    let (out, _) = lower(&format!(
        "{text}$PSNativeCommandUseErrorActionPreference = $true\n"
    ));
    assert!(out.text.contains("set -e"), "{}", out.text);
}

#[test]
fn functions_strings_run_as_scripts_and_blocks() {
    let text = "function Reset-Db { docker exec pg dropdb shop }\n\
                reset-db\n\
                Invoke-Expression 'docker volume rm a'\n\
                cmd /c \"docker volume rm b\"\n\
                Invoke-Command -ScriptBlock { docker volume rm c }\n\
                # docker volume rm commented\n\
                $text = 'docker volume rm assigned-only'\n";
    let f = facts(text);
    let got = commands(&f);
    assert!(got.contains(&(1, "dropdb shop".into())), "{got:?}");
    assert!(got.contains(&(2, "Reset-Db".into())), "{got:?}");
    assert!(got.contains(&(3, "docker volume rm a".into())), "{got:?}");
    assert!(got.contains(&(4, "docker volume rm b".into())), "{got:?}");
    assert!(got.contains(&(5, "docker volume rm c".into())), "{got:?}");
    assert!(
        !got.iter()
            .any(|(_, w)| w.contains("commented") || w.contains("assigned-only"))
    );
    let dropdb = f.shell.commands_named("dropdb").next().expect("dropdb");
    assert_eq!(ShellFacts::enclosing_function(dropdb), Some("Reset-Db"));
}

#[test]
fn broken_input_is_a_notice_not_a_crash() {
    for text in [
        "if ($x { docker volume rm a\n",
        "\"unterminated\ndocker compose down -v\n",
        "@\"\nno end",
        "function {",
        &"(".repeat(5000),
        &"{".repeat(5000),
        "\u{feff}docker volume rm x\r\n",
    ] {
        let f = facts(text);
        let _ = commands(&f);
    }
    let f = facts("if ($x { docker volume rm a\n");
    assert!(
        f.notices
            .iter()
            .any(|n| n.message.contains("could not be parsed")),
        "{:?}",
        f.notices
    );
}
