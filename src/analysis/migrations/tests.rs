//! Migration order: revision chains (merges, branches, missing parents, cycles) and the type an
//! earlier migration declared, over files the front-ends really read.

use super::{MigrationOrder, chain_order};
use crate::classify::{NameClass, classify_name};
use crate::levels::path_context;
use crate::model::FileFacts;
use crate::model::migration::Revision;
use crate::source::SourceFile;

fn rev(id: &str, parents: &[&str]) -> Option<Revision> {
    Some(Revision {
        id: id.to_string(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        labels: Vec::new(),
    })
}

fn order(revisions: &[Option<Revision>]) -> Vec<usize> {
    let refs: Vec<Option<&Revision>> = revisions.iter().map(Option::as_ref).collect();
    chain_order(&refs)
}

#[test]
fn a_chain_runs_against_path_order() {
    // Path order: c, b, a; chain: a <- b <- c.
    let revs = [rev("c", &["b"]), rev("b", &["a"]), rev("a", &[])];
    assert_eq!(order(&revs), vec![2, 1, 0]);
}

#[test]
fn a_merge_runs_after_both_branches() {
    // base <- left, base <- right, (left, right) <- merge; the merge sorts first by path.
    let revs = [
        rev("merge", &["left", "right"]),
        rev("right", &["base"]),
        rev("base", &[]),
        rev("left", &["base"]),
    ];
    let got = order(&revs);
    assert_eq!(got, vec![2, 1, 3, 0]);
}

#[test]
fn branches_interleave_by_path_after_their_parent() {
    let revs = [rev("x", &["root"]), rev("root", &[]), rev("y", &["root"])];
    assert_eq!(order(&revs), vec![1, 0, 2]);
}

#[test]
fn unknown_parents_and_files_without_facts_keep_path_order() {
    // `b` names a parent outside the set; the second file has no revision facts.
    let revs = [rev("b", &["gone"]), None, rev("a", &["b"])];
    assert_eq!(order(&revs), vec![0, 1, 2]);
}

#[test]
fn a_cycle_is_broken_at_its_earliest_file_and_never_loops() {
    let revs = [
        rev("a", &["c"]),
        rev("b", &["a"]),
        rev("c", &["b"]),
        rev("d", &[]),
        rev("e", &["e"]),
    ];
    let got = order(&revs);
    assert_eq!(got, vec![3, 4, 0, 1, 2]);
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, vec![0, 1, 2, 3, 4]);
}

#[test]
fn duplicate_ids_and_parents_do_not_break_the_order() {
    let revs = [rev("a", &[]), rev("a", &[]), rev("b", &["a", "a"])];
    assert_eq!(order(&revs), vec![0, 1, 2]);
}

#[test]
fn a_long_chain_in_reverse_path_order_is_ordered() {
    let n = 2000;
    let revs: Vec<Option<Revision>> = (0..n)
        .map(|i| {
            let parent = format!("r{}", i + 1);
            let parents = if i + 1 < n {
                vec![parent.as_str()]
            } else {
                vec![]
            };
            rev(&format!("r{i}"), &parents)
        })
        .collect();
    let got = order(&revs);
    assert_eq!(got, (0..n).rev().collect::<Vec<_>>());
}

fn facts(path: &str, text: &str) -> FileFacts {
    let NameClass::Kind(kind) = classify_name(path) else {
        panic!("{path} is not classified");
    };
    FileFacts::extract(
        SourceFile::new(path, text.to_string()),
        kind,
        path_context(path),
    )
}

const ALEMBIC_ADD: &str = "from alembic import op\nimport sqlalchemy as sa\n\nrevision: str = 'f00d'\ndown_revision: Union[str, None] = None\n\n\ndef upgrade():\n    op.add_column('users', sa.Column('bio', sa.String(200)))\n";
const ALEMBIC_ALTER: &str = "from alembic import op\nimport sqlalchemy as sa\n\nrevision = '0a0a'\ndown_revision = 'f00d'\n\n\ndef upgrade():\n    op.alter_column('users', 'bio', type_=sa.String(50))\n";
const ALEMBIC_MERGE: &str =
    "revision = '1111'\ndown_revision = ('0a0a', 'beef')\n\n\ndef upgrade():\n    pass\n";

#[test]
fn alembic_revisions_record_their_chain() {
    let f = facts("migrations/versions/1111_merge.py", ALEMBIC_MERGE);
    let r = f.sql.migration.clone().and_then(|m| m.revision);
    assert_eq!(r, rev("1111", &["0a0a", "beef"]));
    let f = facts("migrations/versions/f00d_add.py", ALEMBIC_ADD);
    let r = f.sql.migration.clone().and_then(|m| m.revision);
    assert_eq!(r, rev("f00d", &[]));
}

#[test]
fn alembic_earlier_type_follows_the_chain_not_the_hex_names() {
    let files = vec![
        facts("migrations/versions/0a0a_shorten_bio.py", ALEMBIC_ALTER),
        facts("migrations/versions/1111_merge.py", ALEMBIC_MERGE),
        facts("migrations/versions/f00d_add_bio.py", ALEMBIC_ADD),
    ];
    let order = MigrationOrder::build(&files);
    assert_eq!(
        order.sets(),
        vec![vec![
            "migrations/versions/f00d_add_bio.py",
            "migrations/versions/0a0a_shorten_bio.py",
            "migrations/versions/1111_merge.py",
        ]]
    );
    assert_eq!(
        order.earlier_column_type("migrations/versions/0a0a_shorten_bio.py", "users", "bio"),
        Some(("varchar(200)", "migrations/versions/f00d_add_bio.py"))
    );
    assert_eq!(
        order.earlier_column_type("migrations/versions/f00d_add_bio.py", "users", "bio"),
        None
    );
    assert_eq!(
        order.earlier_column_type("not/a/migration.py", "users", "bio"),
        None
    );
}

#[test]
fn django_dependencies_order_an_app_and_name_other_apps() {
    let dep = |deps: &str| {
        format!(
            "from django.db import migrations\nfrom django.conf import settings\n\n\nclass Migration(migrations.Migration):\n    dependencies = [{deps}]\n    operations = []\n"
        )
    };
    let files = vec![
        facts(
            "shop/migrations/0002_a.py",
            &dep(
                "migrations.swappable_dependency(settings.AUTH_USER_MODEL), ('shop', '0002_b'), ('Billing', '0004_x'), ('auth', '__first__')",
            ),
        ),
        facts(
            "shop/migrations/0002_b.py",
            &dep("('shop', '0001_initial')"),
        ),
        facts("shop/migrations/0001_initial.py", &dep("")),
    ];
    let r = files[0]
        .sql
        .migration
        .as_ref()
        .and_then(|m| m.revision.clone());
    assert_eq!(r, rev("shop.0002_a", &["shop.0002_b", "billing.0004_x"]));
    let order = MigrationOrder::build(&files);
    assert_eq!(
        order.sets(),
        vec![vec![
            "shop/migrations/0001_initial.py",
            "shop/migrations/0002_b.py",
            "shop/migrations/0002_a.py",
        ]]
    );
}

#[test]
fn depends_on_may_name_a_branch_label() {
    // `x` depends on the branch labelled `billing` (file 2), which sorts after it by path.
    let mut labelled = rev("b1", &[]);
    if let Some(r) = &mut labelled {
        r.labels = vec!["billing".to_string()];
    }
    let revs = [rev("x", &["billing"]), rev("y", &[]), labelled];
    assert_eq!(order(&revs), vec![1, 2, 0]);
}

#[test]
fn a_revision_id_wins_over_a_label_spelled_the_same() {
    let mut labelled = rev("c", &[]);
    if let Some(r) = &mut labelled {
        r.labels = vec!["a".to_string()];
    }
    // `b` names `a`: the file whose id is `a` (rank 2), not the one labelled `a` (rank 0).
    let revs = [labelled, rev("b", &["a"]), rev("a", &[])];
    assert_eq!(order(&revs), vec![0, 2, 1]);
}

#[test]
fn alembic_depends_on_and_branch_labels_are_read() {
    let text = "revision = 'a1'\ndown_revision = ('m1', 'm2')\nbranch_labels = ('reports',)\ndepends_on = ['billing', 'c3']\n\n\ndef upgrade():\n    pass\n";
    let f = facts("migrations/versions/a1_x.py", text);
    let r = f.sql.migration.clone().and_then(|m| m.revision);
    let mut want = rev("a1", &["m1", "m2", "billing", "c3"]);
    if let Some(w) = &mut want {
        w.labels = vec!["reports".to_string()];
    }
    assert_eq!(r, want);
}

#[test]
fn django_apps_form_one_set_ordered_across_apps() {
    let migration = |deps: &str, ops: &str| {
        format!(
            "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [{deps}]\n    operations = [{ops}]\n"
        )
    };
    let files = vec![
        facts(
            "accounts/migrations/0001_initial.py",
            &migration("('zoo', '0001_initial')", ""),
        ),
        facts(
            "zoo/migrations/0001_initial.py",
            &migration(
                "",
                "migrations.CreateModel(name='Animal', fields=[('name', models.CharField(max_length=20))])",
            ),
        ),
        facts(
            "zoo/migrations/0002_more.py",
            &migration("('zoo', '0001_initial')", ""),
        ),
    ];
    let order = MigrationOrder::build(&files);
    assert_eq!(
        order.sets(),
        vec![vec![
            "zoo/migrations/0001_initial.py",
            "accounts/migrations/0001_initial.py",
            "zoo/migrations/0002_more.py",
        ]]
    );
    assert_eq!(
        order.earlier_column_type("accounts/migrations/0001_initial.py", "zoo_animal", "name"),
        Some(("varchar(20)", "zoo/migrations/0001_initial.py"))
    );
}
