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
