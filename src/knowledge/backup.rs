//! Backup mechanisms the scanner knows: the shipped table of backup sidecar images
//! (`rules/backup-images.toml`) and the backup commands and images the config file adds.

use std::sync::OnceLock;

use serde::Deserialize;

const IMAGES_TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rules/backup-images.toml"
));

/// One `[[image]]` entry of the sidecar table.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SidecarImage {
    pub images: Vec<String>,
    /// Families it backs up; empty means any.
    #[serde(default)]
    pub families: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImagesFile {
    image: Vec<SidecarImage>,
}

/// What counts as a backup mechanism: the shipped sidecar images plus the user's extra commands
/// and images (`backup-commands`, `backup-images` in the config file).
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub images: Vec<SidecarImage>,
    /// Extra backup commands, as words (`["acme-dump"]`, `["bin/db", "snapshot"]`).
    pub commands: Vec<Vec<String>>,
}

impl Catalog {
    /// The shipped table (parsed once; its validity is checked by a unit test).
    pub fn builtin() -> &'static Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let file: ImagesFile = toml::from_str(IMAGES_TABLE).unwrap_or_default();
            Catalog {
                images: file.image,
                commands: Vec::new(),
            }
        })
    }

    /// The shipped table extended by the config file.
    pub fn with_config(commands: &[String], images: &[String]) -> Catalog {
        let mut catalog = Catalog::builtin().clone();
        catalog.commands = commands
            .iter()
            .map(|c| c.split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .collect();
        if !images.is_empty() {
            catalog.images.insert(
                0,
                SidecarImage {
                    images: images.to_vec(),
                    families: Vec::new(),
                },
            );
        }
        catalog
    }

    /// The families a sidecar image backs up (`Some(empty)` for any), or `None` when the image
    /// is not a backup sidecar. `image` may carry a registry and a tag.
    pub fn sidecar(&self, image: &str) -> Option<&[String]> {
        let path = image_path(image);
        self.images
            .iter()
            .find(|e| {
                e.images.iter().any(|p| {
                    let p = p.to_ascii_lowercase();
                    match p.strip_suffix("/*") {
                        Some(ns) => path.starts_with(&format!("{ns}/")),
                        None => path == p || path.ends_with(&format!("/{p}")),
                    }
                })
            })
            .map(|e| e.families.as_slice())
    }
}

/// `docker.io/library/postgres:16@sha…` → `postgres`; `ghcr.io/a/b:1` → `ghcr.io/a/b`.
fn image_path(image: &str) -> String {
    let lower = image.to_ascii_lowercase();
    let no_digest = lower.split('@').next().unwrap_or(&lower);
    // A tag is a `:` after the last `/`.
    let no_tag = match no_digest.rsplit_once(':') {
        Some((head, tail)) if !tail.contains('/') => head,
        _ => no_digest,
    };
    let trimmed = no_tag
        .strip_prefix("docker.io/")
        .unwrap_or(no_tag)
        .strip_prefix("library/")
        .unwrap_or_else(|| no_tag.strip_prefix("docker.io/").unwrap_or(no_tag));
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_parses() {
        let file: ImagesFile = toml::from_str(IMAGES_TABLE).expect("backup-images.toml parses");
        assert!(file.image.len() > 3);
        let c = Catalog::builtin();
        assert_eq!(
            c.sidecar("prodrigestivill/postgres-backup-local:16"),
            Some(&["postgres".to_string()][..])
        );
        assert!(
            c.sidecar("docker.io/offen/docker-volume-backup:v2")
                .is_some()
        );
        assert!(c.sidecar("postgres:16").is_none());
        let extended = Catalog::with_config(&["acme-dump --all".into()], &["acme/pg-saver".into()]);
        assert!(extended.sidecar("acme/pg-saver:1").is_some());
    }
}
