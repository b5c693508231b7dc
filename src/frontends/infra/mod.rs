//! Infrastructure as code: Terraform configurations ([`terraform`]), read into
//! [`crate::model::infra`] facts and credentials. Which resources are databases and which
//! settings lose data is `crate::knowledge::managed_db`'s; what to report is the rules'.

pub mod terraform;
