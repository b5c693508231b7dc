//! Tests of the Compose front-end: the model built from YAML, volume and port syntax, stateful
//! services, `sh -c` commands reaching the shell front-end, merged documents.

use std::collections::BTreeMap;

use crate::classify::FileKind;
use crate::frontends::compose::mounts::short_mount;
use crate::frontends::compose::ports::short_port;
use crate::levels::Context;
use crate::model::FileFacts;
use crate::model::store::{ComposeFile, DataStore, MountKind};
use crate::source::{SourceFile, Span};

fn model(text: &str) -> (FileFacts, ComposeFile) {
    let facts = FileFacts::extract(
        SourceFile::new("docker-compose.yml", text),
        FileKind::Compose,
        Context::Production,
    );
    let model = *facts.compose.clone().expect("compose model");
    (facts, model)
}

#[test]
fn services_volumes_ports_environment() {
    let text = r#"
name: Shop
x-db-env: &dbenv
  POSTGRES_USER: shop
services:
  db:
    image: postgres:16
    environment:
      <<: *dbenv
      POSTGRES_PASSWORD: "s3cret"
    volumes:
      - pgdata:/var/lib/postgresql/data
      - ./init:/docker-entrypoint-initdb.d:ro
      - /var/run/x
      - type: tmpfs
        target: /tmp
    tmpfs: /run
    ports:
      - "127.0.0.1:5432:5432"
      - 6543:5432
      - target: 5432
        published: 7000
        host_ip: 0.0.0.0
    secrets: [db_pw]
    profiles: [prod]
  cache:
    image: redis:7
    command: redis-server --appendonly yes
  worker:
    build: .
    environment:
      - DATABASE_URL=postgres://u:p@db/shop
      - EMPTY
volumes:
  pgdata:
    name: shop_pg
  other:
    external: true
"#;
    let (_, m) = model(text);
    assert_eq!(m.name.as_ref().map(|n| n.value.as_str()), Some("Shop"));
    let db = m.service("db").expect("db");
    assert_eq!(
        db.env("POSTGRES_USER")
            .and_then(|e| e.value.as_ref())
            .map(|v| v.value.as_str()),
        Some("shop")
    );
    let pw = db
        .env("POSTGRES_PASSWORD")
        .and_then(|e| e.value.as_ref())
        .expect("pw");
    assert_eq!(&text[pw.span.start()..pw.span.end()], "s3cret");
    let kinds: Vec<MountKind> = db.mounts.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MountKind::Named,
            MountKind::Bind,
            MountKind::Anonymous,
            MountKind::Tmpfs,
            MountKind::Tmpfs
        ]
    );
    assert!(db.mounts[1].read_only);
    assert!(!db.ports[0].is_public());
    assert!(db.ports[1].is_public());
    assert!(db.ports[2].is_public());
    assert_eq!(db.secrets[0].value, "db_pw");
    assert_eq!(db.profiles, ["prod"]);
    let st = db.stateful.as_ref().expect("stateful");
    assert_eq!(st.family, "postgres");
    assert!(db.data_mount().is_some());
    let cache = m.service("cache").expect("cache");
    assert!(
        cache
            .stateful
            .as_ref()
            .is_some_and(|s| s.persistence.is_some())
    );
    let worker = m.service("worker").expect("worker");
    let url = worker
        .env("DATABASE_URL")
        .and_then(|e| e.value.as_ref())
        .expect("url");
    assert_eq!(
        &text[url.span.start()..url.span.end()],
        "postgres://u:p@db/shop"
    );
    assert!(worker.env("EMPTY").is_some_and(|e| e.value.is_none()));
    assert_eq!(
        m.volume("pgdata")
            .and_then(|v| v.name.as_ref())
            .map(|n| n.value.as_str()),
        Some("shop_pg")
    );
    assert!(m.volume("other").is_some_and(|v| v.external));
}

#[test]
fn redis_without_persistence_is_a_cache() {
    let (_, m) = model(
        "services:\n  cache:\n    image: redis:7-alpine\n    command: [\"redis-server\", \"--save\", \"\"]\n",
    );
    assert!(m.services[0].stateful.is_none());
    let (_, m) = model(
        "services:\n  cache:\n    image: valkey/valkey\n    command: valkey-server --save 60 1\n",
    );
    assert!(m.services[0].stateful.is_some());
}

#[test]
fn minio_data_dir_comes_from_its_command() {
    let (_, m) = model(
        "services:\n  s3:\n    image: minio/minio\n    command: server /export --console-address :9001\n",
    );
    let st = m.services[0].stateful.as_ref().expect("stateful");
    assert!(st.data_dirs.contains(&"/export".to_string()));
}

#[test]
fn pgdata_moves_the_data_dir() {
    let (_, m) = model(
        "services:\n  db:\n    image: postgres:15\n    environment:\n      PGDATA: /var/lib/postgresql/data/pgdata\n    volumes:\n      - db:/var/lib/postgresql/data\n",
    );
    assert!(m.services[0].data_mount().is_some());
}

#[test]
fn sh_c_commands_reach_the_shell_layer() {
    let text = "services:\n  tool:\n    image: postgres:16\n    command: sh -c \"pg_dump -d $$DB > /backup/x.sql && echo ok\"\n  other:\n    image: alpine\n    entrypoint: [\"/bin/bash\", \"-c\", \"rm -rf /data/*\"]\n";
    let (facts, _) = model(text);
    let progs: Vec<String> = facts
        .shell
        .commands
        .iter()
        .filter_map(|c| c.program())
        .collect();
    assert!(progs.contains(&"pg_dump".to_string()), "{progs:?}");
    assert!(progs.contains(&"rm".to_string()), "{progs:?}");
    let rm = facts
        .shell
        .commands
        .iter()
        .find(|c| c.program().as_deref() == Some("rm"))
        .expect("rm");
    assert_eq!(&text[rm.span.start()..rm.span.end()], "rm -rf /data/*");
    let dump = facts
        .shell
        .commands
        .iter()
        .find(|c| c.program().as_deref() == Some("pg_dump"))
        .expect("dump");
    assert!(text[dump.span.start()..dump.span.end()].starts_with("pg_dump -d"));
}

#[test]
fn yaml_by_content_and_broken_yaml() {
    let facts = FileFacts::extract(
        SourceFile::new("deploy/stack.yml", "services:\n  db:\n    image: mysql:8\n"),
        FileKind::Yaml,
        Context::Production,
    );
    assert!(facts.compose.is_some());
    let facts = FileFacts::extract(
        SourceFile::new("k8s/values.yml", "replicas: 3\nservices: {}\n"),
        FileKind::Yaml,
        Context::Production,
    );
    assert!(facts.compose.is_none());
    let (facts, _) = model("services:\n  db:\n    image: postgres\n     bad: [\n");
    assert!(!facts.notices.is_empty());
}

#[test]
fn other_yaml_keeps_its_compose_reading() {
    let facts = FileFacts::extract(
        SourceFile::new("deploy/prod.yml", "volumes:\n  pg:\n    name: shop_pg\n"),
        FileKind::Yaml,
        Context::Production,
    );
    assert!(facts.compose.is_none());
    let fragment = facts.compose_fragment.expect("fragment");
    assert!(fragment.volume("pg").is_some_and(|v| v.name.is_some()));
    let facts = FileFacts::extract(
        SourceFile::new("k8s/values.yml", "replicas: 3\nservices: {}\n"),
        FileKind::Yaml,
        Context::Production,
    );
    assert!(facts.compose_fragment.is_none());
}

#[test]
fn multiple_documents_merge() {
    let (_, m) = model(
        "services:\n  db:\n    image: postgres:16\n---\nservices:\n  db:\n    volumes:\n      - pg:/var/lib/postgresql/data\n",
    );
    assert_eq!(m.services.len(), 1);
    assert!(m.services[0].data_mount().is_some());
}

#[test]
fn port_forms() {
    let public = |raw: &str| short_port(raw, Span::default()).map(|p| p.is_public());
    assert_eq!(public("5432"), Some(true));
    assert_eq!(public("5432:5432/tcp"), Some(true));
    assert_eq!(public("5432-5433:5432-5433"), Some(true));
    assert_eq!(public("${DB_PORT:-5432}:5432"), Some(true));
    assert_eq!(public("127.0.0.1:5432:5432"), Some(false));
    assert_eq!(public("[::1]:5432:5432"), Some(false));
    assert_eq!(public("[::]:5432:5432"), Some(true));
    assert_eq!(public("0.0.0.0:5432:5432"), Some(true));
    assert_eq!(public("${BIND:-127.0.0.1}:5432:5432"), Some(false));
    assert_eq!(public("${BIND}:5432:5432"), Some(false));
    let vars: BTreeMap<String, String> = [("BIND".to_string(), "0.0.0.0".to_string())].into();
    let with_env = |raw: &str| short_port(raw, Span::default()).map(|p| p.is_public_with(&vars));
    assert_eq!(with_env("${BIND}:5432:5432"), Some(true));
    assert_eq!(with_env("${LOCAL}:5432:5432"), Some(false));
    let p = short_port("127.0.0.1:6543:5432", Span::default()).expect("port");
    assert_eq!(
        (p.published.as_deref(), p.target_number()),
        (Some("6543"), Some(5432))
    );
}

#[test]
fn mount_forms() {
    let kind = |raw: &str| short_mount(raw, Span::default()).map(|m| (m.kind, m.read_only));
    assert_eq!(
        kind("pgdata:/var/lib/postgresql/data"),
        Some((MountKind::Named, false))
    );
    assert_eq!(kind("./data:/data:ro"), Some((MountKind::Bind, true)));
    assert_eq!(
        kind("/srv/pg:/var/lib/postgresql/data:rw,z"),
        Some((MountKind::Bind, false))
    );
    assert_eq!(kind("~/pg:/data"), Some((MountKind::Bind, false)));
    assert_eq!(kind("/data"), Some((MountKind::Anonymous, false)));
    assert_eq!(
        kind("${PGDATA_VOLUME:-pgdata}:/var/lib/postgresql/data"),
        Some((MountKind::Named, false))
    );
    assert_eq!(kind("${DATA_DIR}:/data"), Some((MountKind::Bind, false)));
    let target = |raw: &str| short_mount(raw, Span::default()).map(|m| (m.kind, m.target));
    assert_eq!(
        target("${PG_VOLUME:-pgdata}:/var/lib/postgresql/data:rw"),
        Some((MountKind::Named, "/var/lib/postgresql/data".to_string()))
    );
    assert_eq!(
        target("${DATA_DIR:-./data}/postgres:/var/lib/postgresql/data"),
        Some((MountKind::Bind, "/var/lib/postgresql/data".to_string()))
    );
    assert_eq!(
        target(r"C:\pgdata:/var/lib/postgresql/data"),
        Some((MountKind::Bind, "/var/lib/postgresql/data".to_string()))
    );
    assert_eq!(
        target("m:/data/db"),
        Some((MountKind::Named, "/data/db".to_string()))
    );
    assert_eq!(
        target("c:/pg:/var/lib/postgresql/data:ro"),
        Some((MountKind::Bind, "/var/lib/postgresql/data".to_string()))
    );
}

#[test]
fn other_yaml_is_parsed_only_when_it_can_hold_compose_or_objects() {
    use crate::frontends::compose::may_hold_compose_or_objects as may;
    for yes in [
        "services:\n  db:\n    image: postgres\n",
        "# header\n---\napiVersion: v1\nkind: Pod\n",
        "\"volumes\" : {}\n",
        "{\"apiVersion\": \"v1\", \"kind\": \"Secret\"}\n",
        "name: shop\n",
    ] {
        assert!(may(yes), "{yes:?}");
    }
    for no in [
        "en:\n  services: Services\n  volumes: Volumes\n",
        "fixture:\n  kind: blob\n",
        "# services: commented out\nkey: value\n",
        "- name: x\n",
    ] {
        assert!(!may(no), "{no:?}");
    }
}
