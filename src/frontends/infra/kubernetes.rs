//! Kubernetes manifests (multi-document YAML; `kind:` decides) and Helm templates (read after
//! blanking every `{{ … }}` at the same length, so spans still point at the template's text).
//!
//! - Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Pod) become
//!   [`Workload`]s: each container's image looked up in the stateful-images table, its volume
//!   mounts resolved to the pod's volumes (a claim, a `volumeClaimTemplates` entry, a `hostPath`, an
//!   `emptyDir`).
//! - Credentials: `env[].value` literals of password variables and connection URLs in any env
//!   value; `Secret` `stringData` and `data` (base64: decoded to judge, never kept or printed;
//!   the encoded text is what is masked); `ConfigMap` `data` keys that are password variables.
//!   `valueFrom.secretKeyRef`, `$(VAR)` and blanked template expressions are not literals.

use base64::Engine as _;

use crate::frontends::secrets::{record_literal, record_urls};
use crate::knowledge::credentials::{is_password_var, looks_like_password_name};
use crate::knowledge::stateful::StatefulTable;
use crate::model::FileFacts;
use crate::model::infra::KubeObject;
use crate::model::secret::{Origin, SecretClass};
use crate::model::store::kubernetes::{Container, Workload};
use crate::model::store::{ImageRef, Mount, MountKind, Spanned};
use crate::source::Span;
use crate::syntax::yaml::{self, Node, ScalarType, Yaml};

/// Kinds whose pod template is `spec.template.spec` (a `Pod`'s is its own `spec`).
const TEMPLATED: &[&str] = &[
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
];

/// Kinds whose documents give facts besides the workloads above: a `Pod`, credentials (`Secret`,
/// `ConfigMap`) and what deleting loses (claims, volumes, namespaces). Documents of other kinds
/// are not parsed unless `kubectl delete` can lose data through them (see [`unread_kind`]).
const OTHER_READ_KINDS: &[&str] = &[
    "Pod",
    "Secret",
    "ConfigMap",
    "PersistentVolumeClaim",
    "PersistentVolume",
    "Namespace",
];

/// Whether no reader of Kubernetes objects uses a document of this `kind:`: not a workload or a
/// kind read above, and not a kind `kubectl delete` can lose data through (`rules/
/// infra-commands.toml`). Such documents (RBAC, Services, webhooks, and the megabytes of
/// `CustomResourceDefinition`s of an operator's release manifest) are not parsed.
pub fn unread_kind(kind: &str) -> bool {
    !(TEMPLATED.contains(&kind)
        || OTHER_READ_KINDS.contains(&kind)
        || crate::knowledge::infra_cli::InfraCli::builtin()
            .kube_kind
            .iter()
            // "Cluster (CloudNativePG)": the kind a manifest writes is its first word.
            .any(|k| k.kind.split(' ').next() == Some(kind)))
}

/// Whether a parsed YAML file holds Kubernetes objects (`apiVersion:` and `kind:` at the top).
pub fn is_manifest(parsed: &Yaml) -> bool {
    parsed
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .any(|r| r.get_str("apiVersion").is_some() && r.get_str("kind").is_some())
}

/// Whether a top-level `kind:` line of `text` names a kind some reader uses, or one the template
/// computes (`{{ … }}`).
fn names_a_read_kind(text: &str) -> bool {
    text.lines()
        .filter_map(yaml::top_level_kind)
        .any(|value| value.is_empty() || value.contains("{{") || !unread_kind(value))
}

/// Read a Helm template: `{{ … }}` blanked, then read as a manifest.
pub fn extract_template(facts: &mut FileFacts, table: &StatefulTable) {
    // A `kind:` is a literal in a template (or `{{ ternary "StatefulSet" "Deployment" … }}`):
    // a template whose every `kind:` names an unread kind holds nothing to read.
    if !names_a_read_kind(&facts.file.text) {
        return;
    }
    let blanked = blank_templates(&facts.file.text);
    let parsed = yaml::parse_skipping_kinds(&blanked, &unread_kind);
    let before = facts.infra.workloads.len();
    extract(facts, &parsed, table);
    // A name built by the template (`{{ include "app.fullname" . }}-db`) is shown as written.
    let text = &facts.file.text;
    for workload in &mut facts.infra.workloads[before..] {
        if let Some(written) = templated_value(text, workload.name.span) {
            workload.name.value = written;
        }
        for c in &mut workload.containers {
            if let Some(written) = templated_value(text, c.image.span) {
                c.image.value = written;
            }
        }
    }
}

/// The value of the `key: value` line holding `span`, as the template writes it, when it holds a
/// template action.
fn templated_value(text: &str, span: Span) -> Option<String> {
    let start = text[..span.start().min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..end];
    let (_, value) = line.split_once(':')?;
    let value = value.trim().trim_matches('"');
    value.contains("{{").then(|| value.to_string())
}

/// Read the Kubernetes objects of a parsed YAML file.
pub fn extract(facts: &mut FileFacts, parsed: &Yaml, table: &StatefulTable) {
    for doc in &parsed.documents {
        let Some(root) = &doc.root else { continue };
        let Some(kind) = root.get_str("kind") else {
            continue;
        };
        let name = root.get("metadata").and_then(|m| m.get("name"));
        facts.infra.objects.push(KubeObject {
            kind: kind.to_string(),
            name: name.and_then(Node::as_str).unwrap_or("").trim().to_string(),
            namespace: namespace(root),
            kept_by_helm: root
                .get("metadata")
                .and_then(|m| m.get("annotations"))
                .and_then(|a| a.get_str("helm.sh/resource-policy"))
                .is_some_and(|p| p.trim() == "keep"),
            span: root.get("kind").map_or(root.span, |k| k.span),
        });
        let object = format!(
            "{kind} `{}`",
            name.and_then(Node::as_str).unwrap_or("(unnamed)")
        );
        match kind {
            "Secret" => secret(facts, root, &object),
            "ConfigMap" => config_map(facts, root, &object),
            _ => {}
        }
        let pod = match kind {
            "Pod" => root.get("spec"),
            k if TEMPLATED.contains(&k) => root
                .get("spec")
                .and_then(|s| s.get("template"))
                .and_then(|t| t.get("spec")),
            _ => None,
        };
        let Some(pod) = pod else { continue };
        let name = name
            .and_then(spanned)
            .or_else(|| root.get("kind").and_then(spanned))
            .unwrap_or_default();
        let claims: Vec<String> = root
            .get("spec")
            .and_then(|s| s.get("volumeClaimTemplates"))
            .and_then(Node::as_sequence)
            .unwrap_or_default()
            .iter()
            .filter_map(|t| t.get("metadata")?.get_str("name"))
            .map(str::to_string)
            .collect();
        let mut workload = Workload {
            kind: kind.to_string(),
            name,
            namespace: namespace(root),
            containers: Vec::new(),
            deletes_claims: kind == "StatefulSet"
                && root
                    .get("spec")
                    .and_then(|s| s.get("persistentVolumeClaimRetentionPolicy"))
                    .and_then(|p| p.get_str("whenDeleted"))
                    == Some("Delete"),
            claim_templates: claims.clone(),
        };
        for c in pod
            .get("containers")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            let container = container(c, pod, &claims, table);
            env_credentials(facts, c, &container, &object);
            workload.containers.push(container);
        }
        facts.infra.workloads.push(workload);
    }
}

/// `metadata.namespace`, when written (not blanked by a template).
fn namespace(root: &Node) -> Option<String> {
    root.get("metadata")
        .and_then(|m| m.get_str("namespace"))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

/// The `claimName` of the pod's `persistentVolumeClaim` volume `name`, if it is one.
fn claim_name(pod: &Node, name: &str) -> Option<String> {
    pod.get("volumes")?
        .as_sequence()?
        .iter()
        .filter(|v| v.get_str("name") == Some(name))
        .find_map(|v| v.get("persistentVolumeClaim")?.get_str("claimName"))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
}

fn container(c: &Node, pod: &Node, claims: &[String], table: &StatefulTable) -> Container {
    let image = c.get("image").and_then(spanned).unwrap_or_default();
    let argv: Vec<String> = ["command", "args"]
        .iter()
        .filter_map(|k| c.get(k)?.as_sequence())
        .flatten()
        .filter_map(|w| w.as_str().map(str::to_string))
        .collect();
    let argv_refs: Vec<&str> = argv.iter().map(String::as_str).collect();
    let env = |var: &str| -> Option<String> {
        c.get("env")?
            .as_sequence()?
            .iter()
            .find(|e| e.get_str("name") == Some(var))?
            .get_str("value")
            .map(str::to_string)
    };
    let stateful = ImageRef::parse(&image.value).and_then(|r| {
        table
            .lookup(&r.path())?
            .stateful(r.major(), &argv_refs, &env)
            .map(|mut s| {
                // Kubernetes creates no anonymous volumes for an image's `VOLUME`s.
                s.image_volumes.clear();
                s
            })
    });
    let mut mounts = Vec::new();
    let mut backing = Vec::new();
    let mut claim_names = Vec::new();
    for m in c
        .get("volumeMounts")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
    {
        let (Some(volume), Some(target)) = (m.get_str("name"), m.get_str("mountPath")) else {
            continue;
        };
        let Some((kind, how)) = volume_kind(pod, claims, volume) else {
            continue;
        };
        mounts.push(Mount {
            kind,
            source: volume.to_string(),
            target: target.to_string(),
            read_only: m.get("readOnly").and_then(Node::as_bool) == Some(true),
            span: m.span,
            source_raw: volume.to_string(),
            implied: false,
        });
        backing.push(how);
        claim_names.extend(claim_name(pod, volume));
    }
    Container {
        name: c.get("name").and_then(spanned).unwrap_or_default(),
        image,
        stateful,
        mounts,
        backing,
        claims: claim_names,
    }
}

/// How the pod's volume `name` is backed; `None` for volumes that hold no data (configMap,
/// secret, downwardAPI, projected). A volume the file does not declare (a blanked template, a
/// patch) gets the benefit of the doubt: persistent.
fn volume_kind(pod: &Node, claims: &[String], name: &str) -> Option<(MountKind, String)> {
    let declared: Vec<&Node> = pod
        .get("volumes")
        .and_then(Node::as_sequence)
        .unwrap_or_default()
        .iter()
        .filter(|v| v.get_str("name") == Some(name))
        .collect();
    if declared.is_empty() {
        let how = if claims.iter().any(|c| c == name) {
            format!("volume claim template `{name}`")
        } else {
            format!("volume `{name}`")
        };
        return Some((MountKind::Named, how));
    }
    let mut best: Option<(MountKind, String)> = None;
    let mut holds_config = false;
    // Both branches of a blanked `{{ if }}` (two entries, or two sources in one entry): the
    // persistent one wins (benefit of the doubt).
    for v in declared {
        for pair in v.as_mapping().unwrap_or_default() {
            let Some(source) = pair.key_str() else {
                continue;
            };
            let this = match source {
                "name" => continue,
                "configMap" | "secret" | "downwardAPI" | "projected" => {
                    holds_config = true;
                    continue;
                }
                "emptyDir" if pair.value.get_str("medium") == Some("Memory") => {
                    (MountKind::Tmpfs, format!("in-memory emptyDir `{name}`"))
                }
                "emptyDir" => (MountKind::Anonymous, format!("emptyDir `{name}`")),
                "hostPath" => (MountKind::Bind, format!("hostPath `{name}`")),
                _ => (MountKind::Named, format!("volume `{name}`")),
            };
            let better = best
                .as_ref()
                .is_none_or(|(k, _)| !persistent(*k) && persistent(this.0));
            if better {
                best = Some(this);
            }
        }
    }
    if best.is_none() && !holds_config {
        // Its source was a blanked template expression.
        return Some((MountKind::Named, format!("volume `{name}`")));
    }
    best
}

fn persistent(kind: MountKind) -> bool {
    matches!(kind, MountKind::Named | MountKind::Bind)
}

/// `env: - name: POSTGRES_PASSWORD value: "…"` and URLs in any env value.
fn env_credentials(facts: &mut FileFacts, c: &Node, container: &Container, object: &str) {
    let origin = Origin::Kubernetes {
        object: format!("container `{}` of {object}", container.name.value),
    };
    for e in c.get("env").and_then(Node::as_sequence).unwrap_or_default() {
        let (Some(var), Some(value)) = (e.get_str("name"), e.get("value")) else {
            continue;
        };
        let Some(scalar) = value.as_scalar().filter(|s| s.ty != ScalarType::Null) else {
            continue;
        };
        record_urls(
            facts,
            &scalar.value,
            &scalar.map,
            &format!("in `{var}`"),
            &origin,
        );
        if is_password_var(var) && is_literal(&scalar.value) {
            record_literal(
                facts,
                scalar.content_span,
                &scalar.value,
                var.to_string(),
                origin.clone(),
                None,
                SecretClass::Literal,
            );
        }
    }
}

/// A value that is a literal (not `$(VAR)`, not a blanked template, not empty).
fn is_literal(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !v.contains("$(") && !v.contains("{{")
}

/// A Secret's key that holds a database password: a password variable, or a password-looking
/// key (`password`, `postgres-password`) in a Secret whose key or name says it is a database's.
fn is_db_password_key(key: &str, object: &str) -> bool {
    let k = key.to_ascii_uppercase().replace(['-', '.'], "_");
    if is_password_var(&k) {
        return true;
    }
    if !looks_like_password_name(&k) || k.ends_with("_KEY") || k.contains("REPLICATION") {
        return false;
    }
    let o = object.to_ascii_uppercase();
    [
        "POSTGRES", "PG", "MYSQL", "MARIADB", "MONGO", "REDIS", "DB", "DATABASE", "SQL",
    ]
    .iter()
    .any(|w| k.split('_').any(|p| p == *w) || o.contains(w))
}

/// `Secret` `stringData` (plain) and `data` (base64) entries.
fn secret(facts: &mut FileFacts, root: &Node, object: &str) {
    let origin = Origin::Kubernetes {
        object: object.to_string(),
    };
    for (section, encoded) in [("stringData", false), ("data", true)] {
        let Some(pairs) = root.get(section).and_then(Node::as_mapping) else {
            continue;
        };
        for pair in pairs {
            let (Some(key), Some(scalar)) = (pair.key_str(), pair.value.as_scalar()) else {
                continue;
            };
            if scalar.ty == ScalarType::Null || !is_literal(&scalar.value) {
                continue;
            }
            let decoded = if encoded {
                let compact: String = scalar.value.split_whitespace().collect();
                let Some(text) = base64::engine::general_purpose::STANDARD
                    .decode(compact.as_bytes())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                else {
                    continue;
                };
                text
            } else {
                scalar.value.clone()
            };
            let name = if encoded {
                format!("`{key}` (base64-encoded, which is not encryption)")
            } else {
                format!("`{key}`")
            };
            if encoded {
                // A URL inside the decoded value cannot be pointed at: the whole value is masked.
                if !crate::knowledge::credentials::url_passwords(&decoded).is_empty() {
                    record_literal(
                        facts,
                        scalar.content_span,
                        &decoded,
                        format!("the connection URL in {name}"),
                        origin.clone(),
                        None,
                        SecretClass::Literal,
                    );
                    continue;
                }
            } else {
                record_urls(
                    facts,
                    &scalar.value,
                    &scalar.map,
                    &format!("in `{key}`"),
                    &origin,
                );
            }
            if is_db_password_key(key, object) {
                record_literal(
                    facts,
                    scalar.content_span,
                    decoded.trim_end_matches('\n'),
                    name,
                    origin.clone(),
                    None,
                    SecretClass::Literal,
                );
            }
        }
    }
}

/// A `ConfigMap` holding a password variable (`POSTGRES_PASSWORD: …`): plain text in the cluster.
fn config_map(facts: &mut FileFacts, root: &Node, object: &str) {
    let origin = Origin::Kubernetes {
        object: object.to_string(),
    };
    let Some(pairs) = root.get("data").and_then(Node::as_mapping) else {
        return;
    };
    for pair in pairs {
        let (Some(key), Some(scalar)) = (pair.key_str(), pair.value.as_scalar()) else {
            continue;
        };
        if scalar.ty == ScalarType::Null {
            continue;
        }
        record_urls(
            facts,
            &scalar.value,
            &scalar.map,
            &format!("in `{key}`"),
            &origin,
        );
        if is_password_var(key) && is_literal(&scalar.value) {
            record_literal(
                facts,
                scalar.content_span,
                &scalar.value,
                format!("`{key}`"),
                origin.clone(),
                None,
                SecretClass::Literal,
            );
        }
    }
}

fn spanned(node: &Node) -> Option<Spanned> {
    let s = node.as_scalar()?;
    (s.ty != ScalarType::Null && !s.value.trim().is_empty()).then(|| Spanned {
        value: s.value.clone(),
        span: s.content_span,
    })
}

/// The text with every Helm/Go template action (`{{ … }}`, `{{- … -}}`, `{{/* … */}}`) replaced
/// by spaces byte for byte (newlines kept), so the YAML parser sees the rest at its own offsets.
pub fn blank_templates(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'{' {
            let end = text[i + 2..]
                .find("}}")
                .map_or(bytes.len(), |at| i + 2 + at + 2);
            for b in &mut out[i..end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            i = end;
        } else {
            i += 1;
        }
    }
    // Only whole actions were replaced, by ASCII spaces: still UTF-8 unless an action held a
    // multi-byte character, whose bytes all became spaces too.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::FileKind;
    use crate::levels::Context;
    use crate::model::store::DataStore;
    use crate::source::SourceFile;

    fn facts(path: &str, text: &str) -> FileFacts {
        FileFacts::extract(
            SourceFile::new(path, text),
            FileKind::Yaml,
            Context::Production,
        )
    }

    #[test]
    fn templates_naming_no_read_kind_are_not_parsed() {
        let table = StatefulTable::builtin();
        let mut service = FileFacts::extract(
            crate::source::SourceFile::new(
                "chart/templates/service.yaml",
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
            ),
            crate::classify::FileKind::HelmTemplate,
            crate::levels::Context::Production,
        );
        extract_template(&mut service, table);
        assert!(service.infra.objects.is_empty());
        let mut claim = FileFacts::extract(
            crate::source::SourceFile::new(
                "chart/templates/pvc.yaml",
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n",
            ),
            crate::classify::FileKind::HelmTemplate,
            crate::levels::Context::Production,
        );
        claim.infra.objects.clear();
        extract_template(&mut claim, table);
        assert_eq!(claim.infra.objects.len(), 1);
    }

    #[test]
    fn documents_of_unread_kinds_are_not_parsed() {
        // RBAC, a Service and a CRD around a StatefulSet, a claim and an operator's `Cluster`:
        // only the kinds some reader uses become objects, at their own offsets.
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nrules:\n  - apiGroups: ['']\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n---\nkind: Service\nmetadata:\n  name: db\n---\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n---\napiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\n";
        let f = facts("k8s/all.yaml", text);
        let kinds: Vec<&str> = f.infra.objects.iter().map(|o| o.kind.as_str()).collect();
        assert_eq!(kinds, ["StatefulSet", "PersistentVolumeClaim", "Cluster"]);
        let claim = &f.infra.objects[1];
        assert_eq!(
            &text[claim.span.start()..claim.span.end()],
            "PersistentVolumeClaim"
        );
        assert!(unread_kind("ClusterRole") && unread_kind("CustomResourceDefinition"));
        assert!(!unread_kind("Deployment") && !unread_kind("Secret") && !unread_kind("postgresql"));
        // A template that computes its kind is read.
        assert!(names_a_read_kind(
            "kind: {{ ternary \"StatefulSet\" \"Deployment\" .x }}\n"
        ));
        assert!(!names_a_read_kind(
            "kind: Service\nmetadata:\n  namespace: {{ .Release.Namespace }}\n"
        ));
    }

    #[test]
    fn blanking_keeps_offsets() {
        let t = "a: {{ .Values.x }}\nb: 1 # é {{- /* c */ -}}\n";
        let b = blank_templates(t);
        assert_eq!(b.len(), t.len());
        assert!(!b.contains("{{"));
        assert_eq!(b.find("b: 1"), t.find("b: 1"));
    }

    #[test]
    fn workloads_mounts_and_secrets() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers:\n        - name: mysql\n          image: mysql:8\n          env:\n            - name: MYSQL_ROOT_PASSWORD\n              value: r00t-pw-x\n            - name: MYSQL_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: s, key: k}\n          volumeMounts:\n            - name: scratch\n              mountPath: /var/lib/mysql\n      volumes:\n        - name: scratch\n          emptyDir: {}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  MYSQL_ROOT_PASSWORD: cjAwdC1wdy14\n  username: cm9vdA==\n";
        let f = facts("k8s/db.yaml", text);
        let w = &f.infra.workloads;
        assert_eq!(w.len(), 1);
        let c = &w[0].containers[0];
        assert_eq!(
            c.stateful.as_ref().map(|s| s.family.as_str()),
            Some("mysql")
        );
        assert!(c.data_mount().is_none());
        assert_eq!(c.mounts[0].kind, MountKind::Anonymous);
        let found: Vec<&str> = f.credentials.iter().map(|c| f.file.slice(c.span)).collect();
        assert_eq!(found, ["r00t-pw-x", "cjAwdC1wdy14"]);
        assert!(!f.redacted_text().contains("cjAwdC1wdy14"));
    }
}
