//! Tests of the credentials front-end: values as written, shell literals traced to their
//! assignment, unset-variable fallbacks, `${NAME:=default}`, the config's extra names.

use crate::classify::FileKind;
use crate::frontends::secrets::named::{assign_defaults, blank_single_quoted, tests_variable};
use crate::frontends::secrets::{apply_password_variables, classify_raw};
use crate::levels::Context;
use crate::model::FileFacts;
use crate::model::secret::SecretClass;
use crate::source::SourceFile;

#[test]
fn raw_values() {
    assert_eq!(classify_raw("${PW}"), None);
    assert_eq!(classify_raw("${PW:?set it}"), None);
    assert_eq!(classify_raw(""), None);
    assert_eq!(classify_raw("hunter2"), Some((SecretClass::Literal, 0, 7)));
    assert_eq!(
        classify_raw("${PW:-hunter2}"),
        Some((SecretClass::Default, 6, 13))
    );
    assert_eq!(
        classify_raw("changeme").map(|c| c.0),
        Some(SecretClass::Placeholder)
    );
    assert_eq!(
        classify_raw("<password>").map(|c| c.0),
        Some(SecretClass::Placeholder)
    );
    assert_eq!(
        classify_raw("SOME_SECRET").map(|c| c.0),
        Some(SecretClass::Placeholder)
    );
}

#[test]
fn shell_variables_point_at_their_literal() {
    let text = "PW=s3cret-pw\nmysql -uroot -p$PW shop\nmysql -p\"${MYSQL_PW:-fallback1}\"\nmysql -p\"$UNKNOWN\"\n";
    let facts = FileFacts::extract(
        SourceFile::new("x.sh", text),
        FileKind::Shell,
        Context::Production,
    );
    let got: Vec<(&str, SecretClass)> = facts
        .credentials
        .iter()
        .map(|c| (&text[c.span.start()..c.span.end()], c.class))
        .collect();
    assert_eq!(
        got,
        [
            ("s3cret-pw", SecretClass::Literal),
            ("fallback1", SecretClass::Default)
        ]
    );
    assert!(!facts.redacted_text().contains("s3cret-pw"));
}

#[test]
fn unset_tests() {
    for c in [
        "[ -z \"$PW\" ]",
        "[[ -z $PW ]]",
        "test -z \"${PW:-}\"",
        "[ ! -n \"$PW\" ]",
        "[ \"$PW\" = \"\" ]",
        "[ \"\" == \"${PW}\" ]",
    ] {
        assert_eq!(tests_variable(c, "PW"), Some(false), "{c}");
    }
    for c in ["[ -n \"$PW\" ]", "[[ $PW != '' ]]", "[ ! -z \"${PW+x}\" ]"] {
        assert_eq!(tests_variable(c, "PW"), Some(true), "{c}");
    }
    for c in [
        "[ -z \"$PW_OLD\" ]",
        "[ \"$ENV\" = prod ]",
        "[ -f /run/secrets/pw ]",
        "[ \"$PW\" = x ]",
    ] {
        assert_eq!(tests_variable(c, "PW"), None, "{c}");
    }
}

#[test]
fn assigned_defaults() {
    let t = ": \"${PGPASSWORD:=hunter2}\" ${A=b} ${C:=$(cat f)} ${D:-x} ${E:='q'}";
    let got: Vec<(&str, &str)> = assign_defaults(t)
        .into_iter()
        .map(|(n, s, e)| (n, &t[s..e]))
        .collect();
    assert_eq!(got, [("PGPASSWORD", "hunter2"), ("A", "b"), ("E", "q")]);
}

#[test]
fn single_quoted_text_is_not_expanded() {
    assert_eq!(blank_single_quoted("a'${X}'b"), "a      b");
    assert_eq!(blank_single_quoted("\"'${X:=v}'\""), "\"'${X:=v}'\"");
    assert_eq!(blank_single_quoted("\\'${X}"), "\\'${X}");
    assert_eq!(blank_single_quoted("'é'${X:=v}"), "    ${X:=v}");
}

#[test]
fn extra_password_variables() {
    let text = "export APP_DB_SECRET=s3cret-pw\nOTHER=x\n: \"${ACME_PW:=dflt-pw}\"\n";
    let mut facts = FileFacts::extract(
        SourceFile::new("x.sh", text),
        FileKind::Shell,
        Context::Production,
    );
    assert!(facts.credentials.is_empty());
    apply_password_variables(
        &mut facts,
        &["app_db_secret".into(), "ACME_PW".into()],
        None,
    );
    let got: Vec<(&str, SecretClass)> = facts
        .credentials
        .iter()
        .map(|c| (&text[c.span.start()..c.span.end()], c.class))
        .collect();
    assert_eq!(
        got,
        [
            ("s3cret-pw", SecretClass::Literal),
            ("dflt-pw", SecretClass::Default)
        ]
    );
    assert!(!facts.redacted_text().contains("s3cret-pw"));
}
