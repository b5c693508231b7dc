//! Credentials: database passwords written into the repository. The value is never kept: only
//! where it is, which variable or flag holds it, and its shape (length, well-known default,
//! placeholder), so no output can ever carry it.

use crate::source::Span;

/// Where a credential was found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// A service's `environment:` entry.
    ComposeEnv { service: String },
    /// A connection URL in a Compose value (`service` when under one).
    ComposeUrl { service: Option<String> },
    /// A password flag on a service's `command:`/`entrypoint:`/`healthcheck:` (`key`), as in
    /// `redis-server --requirepass …`.
    ComposeCommand { service: String, key: String },
    /// A `.env` file entry (a password variable or a URL).
    DotEnv,
    /// An `env:`/`variables:` entry or a URL in a CI file (GitHub Actions, GitLab CI).
    CiYaml,
    /// A shell assignment (`export PGPASSWORD=…`, `DATABASE_URL=…`).
    ShellAssignment,
    /// `mysql -pSECRET` / `--password=SECRET`, `docker run -e POSTGRES_PASSWORD=…`.
    ShellFlag { program: String },
    /// A URL argument of a database client (`psql postgres://u:p@h/db`).
    ShellUrl { program: String },
    /// A password attribute of a Terraform block (`master_password` of `aws_rds_cluster.main`);
    /// `what` names the database kind (`RDS cluster`).
    Terraform { address: String, what: String },
    /// The `default` of a Terraform `variable` block named like a database password.
    TerraformVariable,
    /// A Kubernetes object: a container's `env` (`object` = "container `db` of Deployment `x`"),
    /// a `Secret` or a `ConfigMap`.
    Kubernetes { object: String },
    /// The values of a database Helm chart (`chart` = `postgresql`).
    HelmValues { chart: String },
    /// An application's configuration file: `format` names it (`Spring configuration`,
    /// `database.yml`), `section` the profile or environment the setting is in (`prod`,
    /// `production`) when the file has several.
    AppConfig {
        format: String,
        section: Option<String>,
    },
}

/// How the secret is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretClass {
    /// A literal value.
    Literal,
    /// The default of `${VAR:-literal}`: what runs when the variable is unset.
    Default,
    /// An obvious placeholder (`changeme`, `<password>`): to be replaced before deploying.
    Placeholder,
}

/// A database credential found in the file. Its value is never kept.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Credential {
    /// The secret's own host span (masked in every output).
    pub span: Span,
    /// The variable name (`POSTGRES_PASSWORD`) or a description of the URL (`postgres:// URL`).
    pub name: String,
    pub origin: Origin,
    pub class: SecretClass,
    /// Length of the secret in characters.
    pub chars: usize,
    /// The secret is a well-known default (`postgres`, `password`, `root`, the user name).
    pub well_known: bool,
    /// The variable's name says it is a database password. `false` for a `.env` entry whose name
    /// only looks secret (`DB_PASS_PROD`): it counts when Compose interpolates it into a password
    /// variable (`RepoFacts::password_refs`).
    pub by_name: bool,
}
