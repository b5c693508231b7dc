//! Infrastructure as code: Terraform configurations ([`terraform`]), Kubernetes manifests and
//! Helm templates ([`kubernetes`]), Helm values of database charts ([`helm`]), read into
//! [`crate::model::infra`] facts and credentials. Which resources are databases and which
//! settings lose data is `crate::knowledge`'s; what to report is the rules'.

pub mod helm;
pub mod kubernetes;
pub mod terraform;
