//! `hardcoded-db-password`: see rules/hardcoded-db-password.toml for what/why/fix.

use crate::analysis::repo::RepoFacts;
use crate::levels::Level;
use crate::model::FileFacts;
use crate::model::secret::Origin;
use crate::model::secret::SecretClass;
use crate::rules::Ctx;

pub(super) fn check(file: &FileFacts, repo: &RepoFacts, cx: &mut Ctx) {
    let dir = file.file.path.rsplit_once('/').map_or("", |(d, _)| d);
    for c in &file.credentials {
        // A `.env` entry with a merely secret-looking name counts when Compose uses it as one.
        let used_as_password = c.by_name
            || repo
                .password_refs
                .contains(&(dir.to_string(), c.name.clone()));
        if !used_as_password {
            continue;
        }
        // The value is never shown: only its length and whether everyone would guess it.
        let what = format!(
            "a literal of {} character{}{}",
            c.chars,
            if c.chars == 1 { "" } else { "s" },
            if c.well_known {
                ", a well-known default password"
            } else {
                ""
            }
        );
        // Name the service with its image, as Compose runs it.
        let image = |service: &str| {
            file.compose
                .as_ref()
                .and_then(|m| m.service(service))
                .map(|s| format!(" ({})", s.image_display()))
                .unwrap_or_default()
        };
        let place = match &c.origin {
            Origin::ComposeEnv { service } => {
                format!("`{}` of service `{service}`{}", c.name, image(service))
            }
            Origin::ComposeUrl {
                service: Some(service),
            } => format!("{} in service `{service}`{}", c.name, image(service)),
            Origin::ComposeUrl { service: None } => c.name.clone(),
            Origin::ComposeCommand { service, key } => format!(
                "{} in the `{key}:` of service `{service}`{}",
                c.name,
                image(service)
            ),
            Origin::DotEnv if c.by_name => format!("`{}` in this env file", c.name),
            Origin::DotEnv => format!(
                "`{}` in this env file (Compose passes it to a database password variable)",
                c.name
            ),
            Origin::CiYaml if c.name.contains("://") => c.name.clone(),
            Origin::CiYaml => format!("`{}` in this CI file", c.name),
            Origin::ShellAssignment => format!("`{}`", c.name),
            Origin::ShellFlag { .. } | Origin::ShellUrl { .. } => c.name.clone(),
            Origin::Terraform { address, what } if c.name.contains("://") => {
                format!("{} of {what} `{address}`", c.name)
            }
            Origin::Terraform { address, what } => {
                format!("`{}` of {what} `{address}`", c.name)
            }
            Origin::TerraformVariable => format!("variable `{}`", c.name),
            Origin::Kubernetes { object } if c.name.contains("://") => {
                format!("{} of {object}", c.name)
            }
            Origin::Kubernetes { object } => format!("{} of {object}", quoted(&c.name)),
            Origin::HelmValues { chart } => {
                format!("`{}` in the values of the {chart} chart", c.name)
            }
            Origin::AppConfig { format, section } => {
                let within = section
                    .as_ref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                if c.name.starts_with("the ") {
                    format!("{} of this {format}{within}", c.name)
                } else {
                    format!("`{}` in this {format}{within}", c.name)
                }
            }
        };
        // In a URL or a libpq `password=` string: the password is one part of a longer value.
        let subject = if c.name.contains("://") || c.name.contains("connection string") {
            format!("The password in {place}")
        } else {
            format!("The database password {place}")
        };
        let url_help = c.name.contains("://").then_some(
            "Build the URL from a required variable (`postgres://app:${DB_PASSWORD:?}@db/app`) or read it from a secret file; rotate the password that was committed",
        );
        let url_help = match &c.origin {
            Origin::Kubernetes { .. } => Some(
                "Reference a Secret that is not committed (`valueFrom.secretKeyRef`), created by a secret manager (External Secrets, Sealed Secrets, SOPS); base64 in a committed Secret is not encryption; rotate the password that was committed",
            ),
            Origin::HelmValues { .. } => Some(
                "Point the chart at a Secret that is not committed (`auth.existingSecret`) or pass the value at install time (`--set-file`, a secret manager); rotate the password that was committed",
            ),
            Origin::AppConfig { format, .. } => Some(app_config_help(format)),
            Origin::Terraform { .. } | Origin::TerraformVariable => Some(
                "Take it from a `sensitive` variable without a default (set through `TF_VAR_…` from a secret store), a `random_password` resource or the cloud's managed secret (`manage_master_user_password = true` on RDS); rotate the password that was committed",
            ),
            _ => url_help,
        };
        match c.class {
            SecretClass::Literal => {
                let finding = cx.report(
                    c.span,
                    format!(
                        "{subject} is hardcoded ({what}): anyone with the repository can log in to the database."
                    ),
                );
                if let Some(help) = url_help {
                    finding.help(help);
                }
            }
            SecretClass::Default => {
                let finding = cx.report(
                    c.span,
                    format!(
                        "{subject} falls back to a hardcoded default ({what}) when the variable is unset: production gets it whenever the variable is forgotten."
                    ),
                );
                finding.level(Level::Warning).help(url_help.unwrap_or(
                    "Require the variable instead of defaulting it: `${VAR:?set VAR}`, or use a `_FILE` variable with a Compose secret",
                ));
            }
            SecretClass::Placeholder => {
                cx.report(
                    c.span,
                    format!("{subject} is a placeholder ({what}): replace it before deploying."),
                )
                .level(Level::Note);
            }
        }
    }
}

/// What to write instead, in the configuration format's own terms.
fn app_config_help(format: &str) -> &'static str {
    match format {
        "Spring configuration" => {
            "Read it from the environment (`spring.datasource.password=${DB_PASSWORD}`, without a default) or a secret store (Spring Cloud Config, Vault, Kubernetes secrets); rotate the password that was committed"
        }
        "database.yml" => {
            "Read it from the environment (`password: <%= ENV.fetch(\"DATABASE_PASSWORD\") %>`, or `url: <%= ENV[\"DATABASE_URL\"] %>`) or Rails credentials; rotate the password that was committed"
        }
        "appsettings file" => {
            "Keep connection strings out of appsettings: environment variables (`ConnectionStrings__Default`), user secrets in development, Key Vault or another secret store in production; rotate the password that was committed"
        }
        "Django settings file" => {
            "Read it from the environment without a fallback (`os.environ[\"DB_PASSWORD\"]`, or `dj_database_url.config()` reading `DATABASE_URL`); rotate the password that was committed"
        }
        "knexfile" => {
            "Read it from the environment without a fallback (`password: process.env.DB_PASSWORD`, or `connection: process.env.DATABASE_URL`); rotate the password that was committed"
        }
        "Sequelize configuration" => {
            "Use `use_env_variable` (a `DATABASE_URL` from the environment) or a `.sequelizerc` config in JavaScript that reads `process.env`; rotate the password that was committed"
        }
        _ => {
            "Read it from the environment (`${DB_PASSWORD}`, Flyway `${env.DB_PASSWORD}`) or a secret store, not a committed file; rotate the password that was committed"
        }
    }
}

/// A name in backquotes, unless it already carries them (`` `key` (base64-encoded…) ``).
fn quoted(name: &str) -> String {
    if name.starts_with('`') {
        name.to_string()
    } else {
        format!("`{name}`")
    }
}
