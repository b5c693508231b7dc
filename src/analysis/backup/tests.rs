//! Unit tests of the backup facts: which commands are backup, migration, restore and call steps.

use super::*;
use crate::model::command::ShellFacts;
use crate::model::command::ShellOrigin;
use crate::source::OffsetMap;

fn steps(text: &str) -> Vec<Option<StepKind>> {
    let mut facts = ShellFacts::default();
    facts.add_source(
        text,
        &OffsetMap::verbatim(0, text.len()),
        ShellOrigin::Script,
    );
    let functions: Vec<String> = facts.functions.iter().map(|f| f.name.clone()).collect();
    facts
        .commands
        .iter()
        .map(|c| classify(c, text, &functions, Catalog::builtin()).map(|s| s.kind))
        .collect()
}

fn is_backup(k: &Option<StepKind>) -> bool {
    matches!(k, Some(StepKind::Backup { .. }))
}

#[test]
fn backup_steps() {
    for text in [
        "pg_dump -Fc shop > shop.dump",
        "docker compose exec -T db pg_dump -U app shop > backup.sql",
        "docker exec -i pg pg_dumpall -U postgres > all.sql",
        "sudo -u postgres pg_dump shop",
        "mysqldump --single-transaction shop > shop.sql",
        "mongodump --archive=x.gz",
        "redis-cli --rdb /backup/dump.rdb",
        "redis-cli BGSAVE",
        "restic backup /srv",
        "borg create ::x /srv",
        "aws rds create-db-snapshot --db-instance-identifier prod --db-snapshot-identifier x",
        "gcloud sql backups create --instance=prod",
        "az postgres flexible-server backup create -g rg -n srv --backup-name x",
        "tar czf /backup/pg.tgz /var/lib/postgresql/data",
        "docker run --rm -v pgdata:/data -v $(pwd):/backup alpine tar czf /backup/x.tgz /data",
        "rsync -a ./db-data/ backup:/srv/",
        "bash -c 'pg_dump shop > x.sql'",
        "kubectl exec -n db pg-0 -- pg_dump shop",
        "docker cp db:/var/lib/postgresql/data ./snap",
        "docker cp -q \"$CONTAINER_ID:$DATA_DIR/.\" \"$BACKUP_FOLDER/$SERVICE/\"",
    ] {
        let kinds = steps(text);
        assert!(kinds.iter().any(is_backup), "{text}: {kinds:?}");
    }
    for text in [
        "pg_dump --schema-only -U postgres app > schema.sql",
        "mysqldump --no-data app > schema.sql",
        "pg_dump -s shop",
        "pg_dump --schema-only shop",
        "mysqldump --no-data shop",
        "tar xzf backup.tgz -C /var/lib/postgresql/data",
        "cp config.example config",
        "pg_dump --version",
        "echo pg_dump",
        "docker cp ./backups/backup.dump app-postgres:/backup.dump",
        "docker cp schema.sql db:/tmp/schema.sql",
        "docker cp app:/srv/logs ./logs",
    ] {
        let kinds = steps(text);
        assert!(
            !kinds
                .iter()
                .any(|k| is_backup(k) || matches!(k, Some(StepKind::Call(_)))),
            "{text}: {kinds:?}"
        );
    }
}

#[test]
fn database_names() {
    let name = |text: &str| {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        database_name(&facts.commands[0])
    };
    let some = |s: &str| Some(s.to_string());
    assert_eq!(name("pg_dump -h db -U app -Fc shop > x\n"), some("shop"));
    assert_eq!(name("pg_dump -U app --dbname=shop\n"), some("shop"));
    assert_eq!(
        name("pg_dump --username app --table orders shop\n"),
        some("shop")
    );
    assert_eq!(name("mysql --user root --host db shop\n"), some("shop"));
    assert_eq!(
        name("psql -h db -U app shop -c 'TRUNCATE t'\n"),
        some("shop")
    );
    assert_eq!(
        name("psql \"postgresql://u@h:5432/shop?sslmode=require\" -c 'x'\n"),
        some("shop")
    );
    assert_eq!(
        name("docker compose exec -T db pg_dump -U app shop\n"),
        some("shop")
    );
    assert_eq!(name("mysqldump -u root -h db shop orders\n"), some("shop"));
    assert_eq!(name("mysqldump --all-databases\n"), None);
    assert_eq!(name("dropdb -U app shop\n"), some("shop"));
    assert_eq!(name("psql \"$DATABASE_URL\" -c 'x'\n"), None);
    assert_eq!(name("psql -U app -c 'x'\n"), None);
    assert_eq!(name("pg_restore -d shop x.dump\n"), some("shop"));
    assert_eq!(name("pg_restore x.dump\n"), None);
    let created = |text: &str| {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        created_database(&facts.commands[0])
    };
    assert_eq!(created("createdb -U app shop_check\n"), some("shop_check"));
    assert_eq!(
        created("psql -U app -c 'CREATE DATABASE \"shop_check\" OWNER app'\n"),
        some("shop_check")
    );
    assert_eq!(created("psql -U app -c 'SELECT 1'\n"), None);
    assert_eq!(
        created("mysql -e 'CREATE DATABASE IF NOT EXISTS shop'\n"),
        None
    );
}

#[test]
fn ignored_failures_and_discarded_dumps() {
    let ignored = |text: &str| {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        failure_ignored(&facts.commands[0], &|f| f == "on_error")
    };
    for text in [
        "pg_dump shop > x.sql || true\n",
        "pg_dump shop | gzip > x.gz || echo 'backup failed'\n",
        "pg_dump shop > x.sql 2>&1 || :\n",
    ] {
        assert!(ignored(text), "{text}");
    }
    for text in [
        "pg_dump shop > x.sql\n",
        "pg_dump shop > x.sql || exit 1\n",
        "pg_dump shop > x.sql || { echo 'backup failed' >&2; exit 1; }\n",
        "pg_dump shop > x.sql || die 'backup failed'\n",
        "pg_dump shop > x.sql && echo ok || false\n",
        "pg_dump shop > x.sql; psql -c 'x' || true\n",
        "pg_dump shop > 'a||b.sql'\n",
        "pg_dump shop > x.sql || on_error\n",
    ] {
        assert!(!ignored(text), "{text}");
    }
    let background = |text: &str| {
        let mut facts = ShellFacts::default();
        facts.add_source(
            text,
            &OffsetMap::verbatim(0, text.len()),
            ShellOrigin::Script,
        );
        backgrounded(&facts.commands[0])
    };
    assert!(background("pg_dump shop > x.sql &\n"));
    assert!(background("pg_dump shop | gzip > x.gz &\n"));
    assert!(!background("pg_dump shop > x.sql 2>&1\n"));
    assert!(!background("pg_dump shop > x.sql && echo ok\n"));
    assert!(!steps("pg_dump shop > /dev/null\n").iter().any(is_backup));
    assert!(!steps("mysqldump -r /dev/null shop\n").iter().any(is_backup));
    assert!(
        steps("pg_dump shop > /backups/x.sql 2>/dev/null\n")
            .iter()
            .any(is_backup)
    );
    assert!(
        steps("restic backup /srv > /dev/null\n")
            .iter()
            .any(is_backup)
    );
}

#[test]
fn migrations_restores_calls() {
    let k = |t: &str| steps(t).into_iter().next().flatten();
    assert_eq!(k("flyway -url=x migrate"), Some(StepKind::Migration));
    assert_eq!(k("npx prisma migrate deploy"), Some(StepKind::Migration));
    assert_eq!(k("bundle exec rake db:migrate"), Some(StepKind::Migration));
    assert_eq!(k("python manage.py migrate"), Some(StepKind::Migration));
    for text in [
        "yarn prisma db push --accept-data-loss",
        "pnpm knex migrate:latest",
        "npx drizzle-kit migrate",
        "flask db upgrade",
        "dotnet ef database update",
    ] {
        assert_eq!(k(text), Some(StepKind::Migration), "{text}");
    }
    assert_ne!(k("yarn prisma generate"), Some(StepKind::Migration));
    assert_ne!(k("flask db migrate -m x"), Some(StepKind::Migration));
    assert_eq!(
        k("docker compose run --rm app alembic upgrade head"),
        Some(StepKind::Migration)
    );
    assert_eq!(
        k("migrate -path db/migrations -database $URL up"),
        Some(StepKind::Migration)
    );
    assert_eq!(
        k("pg_restore --clean -d shop x.dump"),
        Some(StepKind::Restore)
    );
    assert_eq!(k("pg_restore -Fc -d shop x.dump"), Some(StepKind::Load));
    assert_eq!(k("pg_restore -cC -d shop x.dump"), Some(StepKind::Restore));
    assert_eq!(k("dropdb shop"), Some(StepKind::Drop));
    assert_eq!(k("psql -d shop < dump.sql"), Some(StepKind::Load));
    assert_eq!(k("psql -d shop -f db/schema.sql"), None);
    assert_eq!(k("redis-cli CONFIG SET save ''"), None);
    assert_eq!(k("psql -c 'DROP DATABASE shop'"), Some(StepKind::Drop));
    assert_eq!(
        k("./scripts/backup.sh"),
        Some(StepKind::Call(Callee::Script {
            path: "./scripts/backup.sh".into(),
            args: vec![]
        }))
    );
    assert_eq!(
        k("make -C ops backup"),
        Some(StepKind::Call(Callee::Make {
            targets: vec!["backup".into()],
            dir: Some("ops".into())
        }))
    );
    assert_eq!(k("tcpdump -i eth0 -w x.pcap"), None);
    let mut facts = ShellFacts::default();
    let text = "docker exec -i shop-db-1 psql -U app shop\n";
    facts.add_source(
        text,
        &OffsetMap::verbatim(0, text.len()),
        ShellOrigin::Script,
    );
    assert_eq!(
        container_of(&facts.commands[0]).as_deref(),
        Some("shop-db-1")
    );
    assert_eq!(
        k("backup_database --now"),
        Some(StepKind::Call(Callee::Named {
            name: "backup_database".into()
        }))
    );
    let loaded = steps("gunzip -c x.gz | psql shop\n");
    assert_eq!(loaded[1], Some(StepKind::Load));
    let loaded = steps("cat backups/shop.sql | psql shop\n");
    assert_eq!(loaded[1], Some(StepKind::Load));
    let loaded = steps("gunzip -c \"$DUMP\" | docker compose exec -T db psql -U postgres shop\n");
    assert_eq!(loaded[1], Some(StepKind::Load));
    // SQL written in the script is not a dump being loaded.
    for text in [
        "echo \"TRUNCATE TABLE $T\" | psql shop\n",
        "printf 'DELETE FROM s;' | psql shop\n",
        "cat db/schema.sql | psql shop\n",
        "cat <<EOF | PGPASSWORD=x psql -h db shop\nTRUNCATE t;\nEOF\n",
    ] {
        assert!(
            !steps(text).contains(&Some(StepKind::Load)),
            "{text}: {:?}",
            steps(text)
        );
    }
    // Rebuilding what is checked out is not an update of the application.
    assert_eq!(k("docker compose up -d --build"), None);
    assert_eq!(
        k("docker compose up --build --abort-on-container-exit"),
        None
    );
    assert_eq!(k("docker compose pull"), Some(StepKind::Deploy));
    assert_eq!(k("git pull --ff-only"), Some(StepKind::Deploy));
}

fn files_run(text: &str) -> Vec<Vec<(String, SqlFileVia)>> {
    let mut facts = ShellFacts::default();
    facts.add_source(
        text,
        &OffsetMap::verbatim(0, text.len()),
        ShellOrigin::Script,
    );
    facts.commands.iter().map(sql_files_run).collect()
}

#[test]
fn sql_files_a_client_runs() {
    use SqlFileVia::*;
    let one = |f: &str, via| vec![(f.to_string(), via)];
    let cases: Vec<(&str, Vec<(String, SqlFileVia)>)> = vec![
        ("psql -f reset.sql", one("reset.sql", Argument)),
        (
            "psql \"$DATABASE_URL\" --file=db/reset.sql",
            one("db/reset.sql", Argument),
        ),
        ("mysql shop < reset.sql", one("reset.sql", Stdin)),
        ("docker exec -i db psql -U app < f.sql", one("f.sql", Stdin)),
        (
            "sqlite3 app.db \".read wipe.sql\"",
            one("wipe.sql", Include),
        ),
        (
            "psql <<'SQL'\nBEGIN;\n\\ir purge.sql\nCOMMIT;\nSQL\n",
            one("purge.sql", Include),
        ),
        (
            "mysql -e 'source reset.sql' shop",
            one("reset.sql", Include),
        ),
        // mysql's `-f` is `--force`, not a file.
        ("mysql -f shop", vec![]),
        ("pg_dump -f out.sql shop", vec![]),
    ];
    for (text, want) in cases {
        assert_eq!(files_run(text).concat(), want, "{text}");
    }
    let piped = files_run("cat a.sql b.sql | psql shop");
    assert_eq!(
        piped.last().cloned().unwrap_or_default(),
        vec![("a.sql".to_string(), Pipe), ("b.sql".to_string(), Pipe)]
    );
}
