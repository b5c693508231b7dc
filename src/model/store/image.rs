//! Container image references (`registry/namespace/name:tag@digest`): parsed once by a front-end
//! (Compose `image:`, a Kubernetes container's `image:`), read as the key of the stateful-images
//! table and for the major version that picks a data directory layout. Plain data.

/// A parsed image reference: `[registry/][namespace/]name[:tag][@digest]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub namespace: Option<String>,
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parse an image reference (already interpolated).
    pub fn parse(image: &str) -> Option<ImageRef> {
        let image = image.trim();
        if image.is_empty() || image.contains(char::is_whitespace) {
            return None;
        }
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        // A tag is after the last `:` that follows the last `/` (a registry port has a `/` after it).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_string()),
            ),
            None => (rest, None),
        };
        let mut parts: Vec<&str> = path.split('/').collect();
        let registry = if parts.len() > 1
            && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost")
        {
            Some(parts.remove(0).to_string())
        } else {
            None
        };
        let name = parts.pop()?.to_string();
        if name.is_empty() {
            return None;
        }
        let namespace = (!parts.is_empty()).then(|| parts.join("/"));
        Some(ImageRef {
            registry,
            namespace,
            name,
            tag,
            digest,
        })
    }

    /// An image written with a variable in its tag or digest only (`postgres:${PG_VERSION}`,
    /// before interpolation): the image is known, its version is not (no tag).
    pub fn parse_unknown_version(raw: &str) -> Option<ImageRef> {
        let raw = raw.trim();
        let last_slash = raw.rfind('/').map_or(0, |i| i + 1);
        let cut = last_slash + raw[last_slash..].find([':', '@'])?;
        let (name, version) = raw.split_at(cut);
        if name.contains('$') || !version.contains('$') {
            return None;
        }
        ImageRef::parse(name)
    }

    /// `namespace/name` (Docker Hub's `library/` left out), or `registry/namespace/name` for
    /// other registries: the key of the stateful-images table.
    pub fn path(&self) -> String {
        let mut out = String::new();
        let hub = matches!(
            self.registry.as_deref(),
            None | Some("docker.io" | "index.docker.io" | "registry-1.docker.io")
        );
        if let (false, Some(r)) = (hub, &self.registry) {
            out.push_str(r);
            out.push('/');
        }
        match self.namespace.as_deref() {
            Some("library") if hub => {}
            Some(ns) => {
                out.push_str(ns);
                out.push('/');
            }
            None => {}
        }
        out.push_str(&self.name);
        out
    }

    /// The major version in the tag (`16`, `16.2-alpine`, `16-3.4` → 16). Images that package an
    /// extension name the server in a `pgNN` part (`pgvector/pgvector:0.8.0-pg18`,
    /// `timescale/timescaledb:2.17.2-pg17`, `…:latest-pg16`): that is the major version.
    pub fn major(&self) -> Option<u32> {
        let tag = self.tag.as_deref()?;
        let pg = tag
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find_map(|part| {
                let digits = part.strip_prefix("pg")?;
                let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            });
        if pg.is_some() {
            return pg;
        }
        let digits: String = tag.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn image_with_a_variable_version() {
        let r = ImageRef::parse_unknown_version("postgres:${PG_VERSION}").expect("ref");
        assert_eq!((r.path(), r.tag), ("postgres".to_string(), None));
        let r =
            ImageRef::parse_unknown_version("localhost:5000/n8nio/n8n:${V:?set V}").expect("ref");
        assert_eq!(r.name, "n8n");
        for raw in [
            "${REGISTRY}/postgres:16",
            "postgres:16",
            "$IMAGE",
            "postgres",
        ] {
            assert!(ImageRef::parse_unknown_version(raw).is_none(), "{raw}");
        }
    }

    #[test]
    fn image_references() {
        let r = ImageRef::parse("docker.io/library/postgres:17").expect("ref");
        assert_eq!(r.registry.as_deref(), Some("docker.io"));
        assert_eq!(r.namespace.as_deref(), Some("library"));
        assert_eq!(r.name, "postgres");
        assert_eq!(r.path(), "postgres");
        assert_eq!(r.major(), Some(17));
        let r = ImageRef::parse("bitnami/postgresql:16").expect("ref");
        assert_eq!(r.path(), "bitnami/postgresql");
        let r = ImageRef::parse("postgis/postgis:16-3.4").expect("ref");
        assert_eq!(
            (r.path().as_str(), r.major()),
            ("postgis/postgis", Some(16))
        );
        for (image, major) in [
            ("pgvector/pgvector:0.8.0-pg18", Some(18)),
            ("pgvector/pgvector:pg16", Some(16)),
            ("timescale/timescaledb:2.17.2-pg17", Some(17)),
            ("timescale/timescaledb:latest-pg18", Some(18)),
            ("postgres:18.1-bookworm", Some(18)),
            ("postgres:latest", None),
            ("postgres", None),
        ] {
            let r = ImageRef::parse(image).expect("ref");
            assert_eq!(r.major(), major, "{image}");
        }
        let r = ImageRef::parse("localhost:5000/team/db@sha256:abc").expect("ref");
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.tag, None);
        assert_eq!(r.path(), "localhost:5000/team/db");
    }
}
