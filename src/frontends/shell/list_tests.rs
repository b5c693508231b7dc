//! Unit tests: redirections, pipes and list operators recorded on commands from the tree.
use super::*;

fn commands(text: &str) -> Vec<Command> {
    let mut facts = ShellFacts::default();
    facts.add_source(
        text,
        &OffsetMap::verbatim(0, text.len()),
        ShellOrigin::Script,
    );
    facts.commands
}

fn facts(text: &str) -> ShellFacts {
    let mut facts = ShellFacts::default();
    facts.add_source(
        text,
        &OffsetMap::verbatim(0, text.len()),
        ShellOrigin::Script,
    );
    facts
}

fn by_program<'c>(cmds: &'c [Command], program: &str) -> &'c Command {
    cmds.iter()
        .find(|c| c.program_name().as_deref() == Some(program))
        .unwrap_or_else(|| panic!("no {program} in {cmds:?}"))
}

#[test]
fn redirects_and_background() {
    let cmds = commands("pg_dump shop > \"shop.sql\" 2>&1 &\npsql shop < dump.sql\n");
    let dump = by_program(&cmds, "pg_dump");
    assert_eq!(dump.after, After::Background);
    let out: Vec<_> = dump
        .redirects
        .iter()
        .filter_map(|r| r.stdout_file())
        .collect();
    assert_eq!(out, ["shop.sql"]);
    let load = by_program(&cmds, "psql");
    assert_eq!(load.redirects[0].stdin_file(), Some("dump.sql"));
    assert_eq!(load.after, After::Nothing);
}

#[test]
fn list_operators() {
    let cmds = commands("pg_dump shop > x.sql || echo failed\nmake a && dropdb shop; ls\n");
    assert_eq!(
        by_program(&cmds, "pg_dump").after,
        After::Or {
            handler: "echo failed".into()
        }
    );
    assert_eq!(by_program(&cmds, "echo").after, After::Sequence);
    assert_eq!(by_program(&cmds, "make").after, After::And);
    assert_eq!(by_program(&cmds, "dropdb").after, After::Sequence);
    // `2>&1 &` is a redirection then the background operator, not `&&`.
    let cmds = commands("{ pg_dump shop; } > x.sql 2>&1 &\n");
    let dump = by_program(&cmds, "pg_dump");
    assert_eq!(dump.after, After::Background);
    assert_eq!(dump.redirects[0].stdout_file(), Some("x.sql"));
}

#[test]
fn pipeline_feeders() {
    let cmds = commands(
        "gunzip -c x.gz | docker compose exec -T db psql shop\ncat <<EOF | psql shop\nDROP TABLE t;\nEOF\necho 'TRUNCATE t' | psql shop\n",
    );
    let loads: Vec<_> = cmds
        .iter()
        .filter(|c| c.program_name().as_deref() == Some("psql"))
        .collect();
    assert_eq!(loads.len(), 3, "{cmds:?}");
    let feeder = |k: usize| loads[k].piped_from.clone().expect("piped");
    assert_eq!(feeder(0).argv, ["gunzip", "-c", "x.gz"]);
    assert!(feeder(1).heredoc, "{:?}", feeder(1));
    assert_eq!(feeder(2).argv, ["echo", "TRUNCATE t"]);
    assert!(by_program(&cmds, "gunzip").piped_from.is_none());
}

#[test]
fn process_substitution_and_su_feed_a_client() {
    let text = "sudo su postgres -c \"psql < <(echo 'DROP DATABASE app;')\"\n\
printf 'DROP TABLE t;\\n' | mysql\n\
psql <<< \"DROP TABLE h\"\n\
psql < <(printf 'TRUNCATE x;')\n\
psql < dump.sql\n";
    let f = facts(text);
    let sql: Vec<(&str, &str)> = f
        .embedded_sql
        .iter()
        .map(|e| (e.client.as_str(), e.text.trim()))
        .collect();
    assert_eq!(
        sql,
        [
            ("psql", "DROP DATABASE app;"),
            ("mysql", "DROP TABLE t;\\n"),
            ("psql", "DROP TABLE h"),
            ("psql", "TRUNCATE x;"),
        ]
    );
    let at = f.embedded_sql[0].map.to_host(0);
    assert_eq!(&text[at..at + 4], "DROP");
    assert_eq!(f.commands_named("echo").count(), 1);
}

#[test]
fn loops_over_known_lists_run_per_value() {
    let text = "DIRS=(data/postgres/pgdata data/uploads)\n\
for d in \"${DIRS[@]}\"; do rm -rf \"$d\"/*; echo done; done\n\
for d in data/pg data/redis; do rm -rf \"$d\"; done\n\
for f in $(ls); do rm -rf \"$f\"; done\n";
    let cmds = commands(text);
    let rms: Vec<Vec<String>> = cmds
        .iter()
        .filter(|c| c.program().as_deref() == Some("rm"))
        .map(|c| c.argv.iter().map(Word::display).collect())
        .collect();
    assert_eq!(
        rms,
        [
            vec!["rm", "-rf", "data/postgres/pgdata/*"],
            vec!["rm", "-rf", "data/uploads/*"],
            vec!["rm", "-rf", "data/pg"],
            vec!["rm", "-rf", "data/redis"],
            vec!["rm", "-rf", "$f"],
        ]
    );
    // A command the same in every round is recorded once.
    assert_eq!(
        cmds.iter()
            .filter(|c| c.program().as_deref() == Some("echo"))
            .count(),
        1
    );
}

#[test]
fn functions_called_with_known_arguments_run_with_them() {
    let text = "DIRS=(data/postgres/pgdata data/uploads)\n\
wipe() { rm -rf \"$1\"/*; }\n\
for d in \"${DIRS[@]}\"; do wipe \"$d\"; done\n\
wipe \"$UNKNOWN\"\n";
    let f = facts(text);
    let rms: Vec<String> = f
        .commands
        .iter()
        .filter(|c| c.program().as_deref() == Some("rm"))
        .map(|c| c.argv[2].display())
        .collect();
    assert_eq!(rms, ["$1/*", "data/postgres/pgdata/*", "data/uploads/*"]);
    let rm = f
        .commands
        .iter()
        .find(|c| {
            c.argv
                .get(2)
                .is_some_and(|w| w.display() == "data/uploads/*")
        })
        .expect("rm in the second round");
    assert_eq!(&text[rm.span.start()..rm.span.end()], "rm -rf \"$1\"/*");
}

#[test]
fn nested_loops_stay_within_the_rewalk_budget() {
    // Six nested loops over eight values would be 262144 walks of the innermost body.
    let mut text = String::new();
    for k in 0..6 {
        text.push_str(&format!("for v{k} in a b c d e f g h; do\n"));
    }
    text.push_str("rm -rf \"$v0/$v1/$v2/$v3/$v4/$v5\"\n");
    for _ in 0..6 {
        text.push_str("done\n");
    }
    let cmds = commands(&text);
    assert!(!cmds.is_empty());
    assert!(cmds.len() <= 1 + 64, "{} commands", cmds.len());
}
