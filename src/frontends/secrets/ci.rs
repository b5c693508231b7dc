//! Credentials in a CI file's own YAML (GitHub Actions, GitLab CI): password variables in any
//! mapping (`env:`, `variables:`, service containers' `env:`) and connection URLs in any value.
//! `${{ secrets.X }}` and `$VAR` are references, not literals. Shell in the file's steps is
//! [`super::shell`]'s.

use crate::frontends::secrets::found::{Found, classify_raw, push, url_secrets};
use crate::knowledge::credentials::{is_password_var, is_well_known};
use crate::model::FileFacts;
use crate::model::secret::Origin;
use crate::syntax::yaml::{Node, Value, Yaml};

/// Credentials in a CI file's YAML. `parsed` is the file's YAML as the CI layer parsed it (each
/// file is parsed once).
pub fn from_ci_yaml(facts: &mut FileFacts, parsed: &Yaml) {
    from_ci_yaml_with(facts, parsed, &is_password_var);
}

/// [`from_ci_yaml`] with the password variables named by `is_pw`.
pub(super) fn from_ci_yaml_with(
    facts: &mut FileFacts,
    parsed: &Yaml,
    is_pw: &dyn Fn(&str) -> bool,
) {
    let mut stack: Vec<&Node> = parsed
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .collect();
    let mut found = Vec::new();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Mapping(pairs) => {
                for pair in pairs {
                    stack.push(&pair.value);
                    let (Some(key), Some(value)) = (pair.key_str(), pair.value.as_scalar()) else {
                        continue;
                    };
                    if !is_pw(key) || pair.value.is_null() {
                        continue;
                    }
                    if let Some((class, s, e)) = classify_raw(&value.value) {
                        let secret = &value.value[s..e];
                        found.push(Found {
                            by_name: true,
                            span: value.host_span(s, e),
                            name: key.to_string(),
                            origin: Origin::CiYaml,
                            class,
                            value_chars: secret.chars().count(),
                            well_known: is_well_known(secret, None),
                        });
                    }
                }
            }
            Value::Sequence(items) => stack.extend(items),
            Value::Scalar(scalar) => {
                for url in url_secrets(&scalar.value) {
                    found.push(Found {
                        by_name: true,
                        span: scalar.host_span(url.start, url.end),
                        name: format!("a {}", url.what),
                        origin: Origin::CiYaml,
                        class: url.class,
                        value_chars: url.chars,
                        well_known: url.well_known,
                    });
                }
            }
        }
    }
    found.sort_by_key(|f| f.span);
    for f in found {
        push(facts, f);
    }
}
