//! The secrets contract: a canary password planted in every place `hardcoded-db-password` reads
//! never appears in any output format at any verbosity, nor in `--debug-facts`. The places:
//! Compose environment (map and list), a URL in a Compose value, `redis-server --requirepass` on a
//! Compose command (string, list and `sh -c` form), `redis-cli -a` in a healthcheck, `REDIS_ARGS`,
//! `.env`, a shell export, `mysql -p`, `mysqladmin --password=`, `env MYSQL_PWD=…`, a `psql` URL,
//! `docker run -e`, `redis-cli -a`/`--pass`, `mongosh -p`, `redis-server --requirepass`,
//! `CONFIG SET requirepass`, `docker run … redis-server --requirepass`, unset-only fallbacks, a
//! workflow `env:`, and a name from the config file's `password-variables` in Compose, `.env`,
//! shell and a workflow; Terraform password attributes and `variable` defaults; a Kubernetes
//! Secret's `stringData` and base64 `data` (the encoded text must not leak either), a container's
//! `env` value, Helm values and a Helm template; application configuration (Spring properties and
//! YAML profiles, Rails `database.yml`, .NET `appsettings*.json`, `flyway.conf`, `flyway.toml`,
//! `liquibase.properties`, Sequelize `config/config.json`, TypeORM `ormconfig.json`, Django
//! settings, a knexfile, a TypeORM `DataSource`); standalone programs (a URL, a `password:` key, a
//! libpq string, positional passwords of `new Sequelize`, `new PDO`, `pymysql.connect`) on the
//! lines of their findings.

use std::path::Path;
use std::process::Command;

const CANARY: &str = "Canary7pw";

/// The canary as a Kubernetes Secret's `data:` holds it: that text must not leak either.
fn canary_base64() -> &'static str {
    // base64("Canary7pw"), written out so the test does not need an encoder.
    "Q2FuYXJ5N3B3"
}

fn planted() -> Vec<(&'static str, String)> {
    vec![
        (
            "docker-compose.yml",
            format!(
                "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: {CANARY}\n    ports:\n      - \"5432:5432\"\n  mysql:\n    image: mysql:8\n    environment:\n      - MYSQL_ROOT_PASSWORD={CANARY}\n  api:\n    build: .\n    environment:\n      DATABASE_URL: postgres://app:{CANARY}@db/app\n    labels:\n      backup.url: \"mysql://root:{CANARY}@mysql/shop\"\n"
            ),
        ),
        (
            ".env",
            format!("DB_PASSWORD={CANARY}\nAPP_DB_SECRET={CANARY}\n"),
        ),
        (
            "dataloss-scan.toml",
            "password-variables = [\"APP_DB_SECRET\"]\n".to_string(),
        ),
        (
            "scripts/backup.sh",
            format!(
                "#!/bin/sh\nexport PGPASSWORD={CANARY}\nmysql -uroot -p{CANARY} shop -e 'select 1'\npsql \"postgresql://app:{CANARY}@db/app\" -c 'DROP TABLE orders'\ndocker run -d -e POSTGRES_PASSWORD={CANARY} postgres:16\nredis-cli -h cache -a {CANARY} ping\nredis-cli -h cache --pass \"{CANARY}\" BGSAVE\nredis-server --requirepass {CANARY}\nredis-cli -a \"$REDIS_PASSWORD\" CONFIG SET requirepass {CANARY}\nmysqladmin --password={CANARY} status\nenv MYSQL_PWD={CANARY} mysql shop\nexport APP_DB_SECRET={CANARY}\ndocker run -d redis:7 redis-server --requirepass {CANARY}\nmongosh -u root -p {CANARY} --eval 'db.stats()'\n"
            ),
        ),
        (
            "scripts/init.sh",
            format!(
                "#!/bin/sh\nif [ -z \"$MYSQL_ROOT_PASSWORD\" ]; then\n  MYSQL_ROOT_PASSWORD={CANARY}\nfi\n: \"${{POSTGRES_PASSWORD:={CANARY}}}\"\n"
            ),
        ),
        (
            "compose.redis.yml",
            format!(
                "services:\n  cache:\n    image: redis:7\n    command: redis-server --requirepass {CANARY}\n  sessions:\n    image: redis:7\n    command: [\"redis-server\", \"--requirepass\", \"{CANARY}\"]\n    healthcheck:\n      test: [\"CMD\", \"redis-cli\", \"-a\", \"{CANARY}\", \"ping\"]\n  jobs:\n    image: redis:7\n    command: sh -c \"redis-server --requirepass {CANARY}\"\n  api:\n    image: ghcr.io/acme/api:2\n    environment:\n      APP_DB_SECRET: {CANARY}\n  stack:\n    image: redis/redis-stack-server:7.4.0-v1\n    environment:\n      REDIS_ARGS: \"--requirepass {CANARY}\"\n"
            ),
        ),
        (
            ".github/workflows/deploy.yml",
            format!(
                "on: push\njobs:\n  deploy:\n    runs-on: self-hosted\n    env:\n      PGPASSWORD: {CANARY}\n      APP_DB_SECRET: {CANARY}\n    steps:\n      - run: psql -h db -c 'select 1'\n"
            ),
        ),
        // Destructive commands whose own findings (`drop-database`, `destructive-without-backup`,
        // …) quote the command, with the password on it.
        (
            "ops/reset.sh",
            format!(
                "#!/bin/sh\nPGPASSWORD={CANARY} dropdb prod\nmysqladmin -uroot -p{CANARY} drop shop\nmysqladmin --password={CANARY} -f drop shop\nredis-cli -h cache -a {CANARY} FLUSHALL\nmongosh \"mongodb://root:{CANARY}@db/shop\" --eval 'db.dropDatabase()'\npsql \"host=db user=app password={CANARY} dbname=app\" -c 'DROP TABLE orders'\nmysql -uroot -p{CANARY} shop -e 'DROP TABLE users'\nMYSQL_PWD={CANARY} mysql shop -e 'TRUNCATE TABLE users'\nenv PGPASSWORD={CANARY} psql -h db -c 'DROP DATABASE shop'\ndocker run --rm -e PGPASSWORD={CANARY} postgres:16 dropdb -h db prod\n"
            ),
        ),
        // systemd `Environment=` (bare and quoted) next to a destructive `ExecStart=`.
        (
            "deploy/reset-db.service",
            format!(
                "[Service]\nType=oneshot\nEnvironment=PGPASSWORD={CANARY}\nEnvironment=\"DB_PASSWORD={CANARY}\" \"OTHER=x\"\nExecStart=/usr/bin/dropdb -h db prod\n"
            ),
        ),
        // SQL that sets passwords, next to a drop whose snippet shows the lines around it.
        (
            "db/migrations/0001_users.sql",
            format!(
                "ALTER USER app WITH PASSWORD '{CANARY}';\nCREATE USER shop IDENTIFIED BY '{CANARY}';\nDROP TABLE users;\nALTER ROLE admin PASSWORD '{CANARY}';\n"
            ),
        ),
        (
            "infra/rds.tf",
            format!(
                "resource \"aws_rds_cluster\" \"main\" {{\n  master_username = \"app\"\n  master_password = \"{CANARY}\"\n}}\nvariable \"db_password\" {{\n  default = \"{CANARY}\"\n}}\n"
            ),
        ),
        (
            "k8s/db.yaml",
            format!(
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  POSTGRES_PASSWORD: {CANARY}\ndata:\n  MYSQL_ROOT_PASSWORD: {}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: acme/api:1\n          env:\n            - name: DB_PASSWORD\n              value: {CANARY}\n",
                canary_base64()
            ),
        ),
        (
            "deploy/values-prod.yaml",
            format!("postgresql:\n  auth:\n    postgresPassword: {CANARY}\n"),
        ),
        (
            "chart/templates/db.yaml",
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{{{ .Release.Name }}}}\nspec:\n  containers:\n    - name: db\n      image: postgres:16\n      env:\n        - name: POSTGRES_PASSWORD\n          value: {CANARY}\n"
            ),
        ),
        // Application configuration: Spring (properties and a YAML profile document, with a
        // `${VAR:default}`), Rails, .NET, Flyway, Liquibase, Sequelize, TypeORM.
        (
            "src/main/resources/application-prod.properties",
            format!(
                "spring.datasource.username=app\nspring.datasource.password={CANARY}\nspring.flyway.url=jdbc:postgresql://db/app?user=app&password={CANARY}\n"
            ),
        ),
        (
            "src/main/resources/application.yml",
            format!(
                "spring:\n  datasource:\n    password: ${{DB_PASSWORD}}\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\n  datasource:\n    password: \"{CANARY}\"\n  flyway:\n    password: ${{FLYWAY_PASSWORD:{CANARY}}}\n"
            ),
        ),
        (
            "config/database.yml",
            format!(
                "production:\n  adapter: postgresql\n  password: {CANARY}\n  url: postgres://app:{CANARY}@db/app\n"
            ),
        ),
        (
            "src/Api/appsettings.Production.json",
            format!(
                "{{\n  \"ConnectionStrings\": {{\n    \"Default\": \"Server=db;Database=app;User Id=sa;Pwd={CANARY};\"\n  }}\n}}\n"
            ),
        ),
        ("db/flyway.conf", format!("flyway.password={CANARY}\n")),
        (
            "flyway.toml",
            format!("[environments.prod]\npassword = \"{CANARY}\"\n"),
        ),
        ("liquibase.properties", format!("password: {CANARY}\n")),
        (
            "server/config/config.json",
            format!(
                "{{\n  \"production\": {{\n    \"username\": \"app\",\n    \"password\": \"{CANARY}\",\n    \"dialect\": \"mysql\"\n  }}\n}}\n"
            ),
        ),
        (
            "ormconfig.json",
            format!("{{\n  \"type\": \"postgres\",\n  \"password\": \"{CANARY}\"\n}}\n"),
        ),
        (
            "mysite/settings.py",
            format!(
                "DATABASES = {{\n    \"default\": {{\n        \"PASSWORD\": \"{CANARY}\",\n    }}\n}}\n"
            ),
        ),
        (
            "knexfile.js",
            format!(
                "module.exports = {{\n  production: {{\n    connection: {{ password: '{CANARY}' }},\n  }},\n}};\n"
            ),
        ),
        (
            "src/data-source.ts",
            format!(
                "export const db = new DataSource({{\n  type: 'postgres',\n  password: '{CANARY}',\n}});\n"
            ),
        ),
        // A broken file next to them: its notice must not quote the text either.
        (
            "compose.broken.yml",
            format!(
                "services:\n  db:\n    image: postgres\n     POSTGRES_PASSWORD: {CANARY}\n  [\n"
            ),
        ),
        (
            "scripts/reset.js",
            format!(
                "const {{ Client }} = require('pg');\nconst a = new Client({{ connectionString: 'postgres://app:{CANARY}@db/app' }}); a.query('DROP TABLE a1');\nconst b = new Client({{ user: 'app', password: '{CANARY}' }}); b.query('DROP TABLE b1');\nconst s = new Sequelize('shop', 'app', '{CANARY}'); s.query('DROP TABLE c1');\n"
            ),
        ),
        (
            "scripts/reset.py",
            format!(
                "import pymysql\nc = pymysql.connect('db', 'root', '{CANARY}'); c.cursor().execute('DROP TABLE d1')\nd = psycopg2.connect('host=db user=app password={CANARY}'); d.cursor().execute('DROP TABLE e1')\n"
            ),
        ),
        (
            "scripts/reset.php",
            format!(
                "<?php\n$p = new PDO('pgsql:host=db', 'app', '{CANARY}'); $p->exec('DROP TABLE f1');\n$q = ['password' => '{CANARY}']; $p->exec('DROP TABLE g1');\n"
            ),
        ),
    ]
}

fn plant(root: &Path) {
    for (rel, text) in planted() {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
}

#[test]
fn no_output_contains_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let mut runs = 0;
    let mut found_any = false;
    for format in ["human", "json", "sarif", "github", "gitlab"] {
        for verbosity in [Some("-q"), None, Some("-v"), Some("--include-suppressed")] {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_dataloss-scan"));
            cmd.arg("--format").arg(format).arg("--color").arg("never");
            if let Some(v) = verbosity {
                cmd.arg(v);
            }
            cmd.arg(dir.path());
            let out = cmd.output().expect("run the scanner");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stdout.contains(CANARY) && !stderr.contains(CANARY),
                "--format {format} {verbosity:?} leaked the canary:\n{stdout}\n{stderr}"
            );
            assert!(
                !stdout.contains(canary_base64()) && !stderr.contains(canary_base64()),
                "--format {format} {verbosity:?} leaked the canary's base64:\n{stdout}\n{stderr}"
            );
            found_any |= stdout.contains("hardcoded-db-password");
            runs += 1;
        }
    }
    assert_eq!(runs, 20);
    assert!(found_any, "the planted passwords were not reported at all");
}

#[test]
fn commands_quoted_by_findings_are_masked() {
    // The findings that quote a destructive command are there (so the test above saw them).
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_dataloss-scan"))
        .args(["--format", "json"])
        .arg(dir.path())
        .output()
        .expect("run the scanner");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let quoted: Vec<String> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "destructive-without-backup" && f["path"] == "ops/reset.sh")
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(quoted.len() >= 5, "{quoted:#?}");
    assert!(
        quoted
            .iter()
            .any(|m| m.contains("`PGPASSWORD=********* dropdb prod`")),
        "{quoted:#?}"
    );
    assert!(
        quoted
            .iter()
            .any(|m| m.contains("`redis-cli -h cache -a ********* FLUSHALL`")),
        "{quoted:#?}"
    );
}

#[test]
fn sql_passwords_are_masked() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let outcome = dataloss_scan::scan(&dataloss_scan::ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        ..Default::default()
    })
    .expect("scan");
    let sql = &outcome.sources["db/migrations/0001_users.sql"];
    assert!(sql.contains("PASSWORD '*********'"), "{sql}");
    assert!(sql.contains("IDENTIFIED BY '*********'"), "{sql}");
}

#[test]
fn debug_facts_mask_secrets() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_dataloss-scan"))
        .arg("--debug-facts")
        .arg(dir.path())
        .output()
        .expect("run the scanner");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stdout.contains(CANARY) && !stderr.contains(CANARY),
        "--debug-facts leaked the canary"
    );
    assert!(
        !stdout.contains(canary_base64()),
        "--debug-facts leaked the canary's base64"
    );
    // It did dump the facts (the Redis command lines among them), masked.
    assert!(stdout.contains("--requirepass"), "{stdout}");
    assert!(stdout.contains("***"), "nothing was masked");
}

#[test]
fn every_planted_password_is_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    plant(dir.path());
    let config =
        dataloss_scan::load_config(&dir.path().join("dataloss-scan.toml")).expect("config");
    let opts = dataloss_scan::ScanOptions {
        paths: vec![dir.path().to_path_buf()],
        select: vec!["hardcoded-db-password".into()],
        threads: 1,
        config,
        ..Default::default()
    };
    let outcome = dataloss_scan::scan(&opts).expect("scan");
    let mut places: Vec<(String, u32)> = outcome
        .findings
        .iter()
        .map(|f| {
            let text = &outcome.sources[&f.path];
            let line = dataloss_scan::source::LineIndex::new(text)
                .position(text, f.span.start())
                .line;
            (f.path.clone(), line)
        })
        .collect();
    places.sort();
    // Every line that holds the canary, in every file but the broken one, is reported once.
    let mut want: Vec<(String, u32)> = Vec::new();
    for (rel, text) in planted() {
        // SQL that sets a password is masked, not reported (see `sql_passwords_are_masked`);
        // so are the passwords of standalone programs (code, not configuration).
        if rel == "compose.broken.yml" || rel.ends_with(".sql") || rel.starts_with("scripts/reset.")
        {
            continue;
        }
        for (i, line) in text.split('\n').enumerate() {
            if line.contains(CANARY) || line.contains(canary_base64()) {
                want.push((rel.to_string(), i as u32 + 1));
            }
        }
    }
    want.sort();
    assert_eq!(
        want.len(),
        63,
        "the planted places changed: update this count"
    );
    assert_eq!(places, want);
    for text in outcome.sources.values() {
        assert!(!text.contains(CANARY), "a kept source is not masked");
        assert!(
            !text.contains(canary_base64()),
            "a kept source keeps the base64 secret"
        );
    }
}
