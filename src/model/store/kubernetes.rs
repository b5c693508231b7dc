//! Kubernetes workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod) and their
//! containers, from manifests and Helm templates: a container is a data store when it runs a
//! stateful image, and its volume mounts say whether its data survives the pod.
//!
//! Volumes are mapped onto the [`MountKind`]s the other stores use: a persistent volume claim
//! (or a StatefulSet's `volumeClaimTemplates`) and network or cloud disks are `Named`, `hostPath`
//! is `Bind`, an `emptyDir` is `Anonymous` (deleted with the pod) or `Tmpfs` (`medium: Memory`), as [`crate::model::store::MountKind`] says;
//! `configMap`/`secret`/`downwardAPI`/`projected` volumes hold no data and are not kept.

use crate::model::store::{DataStore, Mount, Port, Spanned, Stateful};

/// A workload object of a manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Workload {
    /// `StatefulSet`, `Deployment`, …
    pub kind: String,
    /// `metadata.name` (with its span), or the `kind:` value's span when unnamed.
    pub name: Spanned,
    /// `metadata.namespace`, when written.
    pub namespace: Option<String>,
    pub containers: Vec<Container>,
    /// A StatefulSet's `volumeClaimTemplates` names: its pods' claims are `<template>-<name>-<n>`.
    pub claim_templates: Vec<String>,
    /// A StatefulSet whose `persistentVolumeClaimRetentionPolicy.whenDeleted` is `Delete`:
    /// deleting the set deletes its claims (by default they stay).
    pub deletes_claims: bool,
}

impl Workload {
    /// Whether a persistent volume claim called `name` holds the data of one of its containers
    /// that runs a stateful image: a `persistentVolumeClaim` volume mounted by it, or (for a
    /// StatefulSet) a claim made from one of its templates (`data-postgres-0`).
    pub fn holds_claim(&self, name: &str) -> bool {
        self.containers
            .iter()
            .filter(|c| c.stateful.is_some())
            .any(|c| c.claims.iter().any(|n| n == name))
            || self.claim_templates.iter().any(|t| {
                name.strip_prefix(&format!("{t}-{}-", self.name.value))
                    .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            })
    }

    /// The first container running a stateful image, if any.
    pub fn database(&self) -> Option<&Container> {
        self.containers.iter().find(|c| c.stateful.is_some())
    }
}

/// One container of a workload's pod template.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Container {
    pub name: Spanned,
    /// The `image:` as written (with its span).
    pub image: Spanned,
    pub stateful: Option<Stateful>,
    pub mounts: Vec<Mount>,
    /// The names of the volumes the mounts come from, with how each is backed (`emptyDir`,
    /// `persistentVolumeClaim claim-name`), for messages; parallel to `mounts`.
    pub backing: Vec<String>,
    /// The `claimName`s of the `persistentVolumeClaim` volumes it mounts.
    pub claims: Vec<String>,
}

impl DataStore for Container {
    fn name(&self) -> &Spanned {
        &self.name
    }
    fn stateful(&self) -> Option<&Stateful> {
        self.stateful.as_ref()
    }
    fn mounts(&self) -> &[Mount] {
        &self.mounts
    }
    fn ports(&self) -> &[Port] {
        &[]
    }
}

impl Container {
    /// How the mount is backed, for messages (`emptyDir volume \`cache\``).
    pub fn backing_of(&self, mount: &Mount) -> &str {
        self.mounts
            .iter()
            .position(|m| m == mount)
            .and_then(|i| self.backing.get(i))
            .map_or("", String::as_str)
    }
}
