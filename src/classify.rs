//! Classification: what kind of file is this, by its name first and, only for files without an
//! extension, by the first bytes (a shebang). Pure functions, table-tested; nothing here opens a file.

/// The kinds of file the scanner analyses. Everything else is never read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A shell script (by extension or shebang).
    Shell,
    /// A `.sql` file (plain SQL, a dump or a migration).
    Sql,
    /// A Compose file, recognised by its name.
    Compose,
    /// A GitHub Actions workflow (`.github/workflows/*.yml`).
    GithubWorkflow,
    /// A GitLab CI file.
    GitlabCi,
    /// Any other YAML file: a Compose file when its content says so.
    Yaml,
    /// A Makefile.
    Makefile,
    /// Markdown: shell in fenced blocks is the docs context.
    Markdown,
    /// A dotenv file (`.env`, `.env.production`, `app.env`).
    DotEnv,
    /// A crontab file.
    Crontab,
    /// A systemd unit (`.service`, `.timer`).
    Systemd,
    /// A framework's migration file, recognised by the framework's layout.
    Migration(Framework),
    /// A Dockerfile or Containerfile (`Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`).
    Dockerfile,
    /// A `package.json`: its `scripts` are shell.
    PackageJson,
    /// A Procfile (Heroku, Dokku, foreman): one process command per line.
    Procfile,
    /// A platform's deploy file: `app.json`, `heroku.yml`, `render.yaml`, `fly.toml`,
    /// `railway.json`/`railway.toml`, `nixpacks.toml`.
    Platform,
    /// An application's configuration: Spring `application*.properties`/`.yml`/`.yaml`,
    /// `bootstrap*.properties`, `hibernate.properties`, `flyway*.conf`/`flyway*.toml`,
    /// `liquibase*.properties`, Rails `config/database.yml`, .NET `appsettings*.json`, Sequelize
    /// `config/config.json`, TypeORM `ormconfig.json|yml|yaml`, Django `settings*.py`,
    /// `knexfile.js|ts`.
    AppConfig,
    /// JavaScript or TypeScript application code that may configure its ORM (`*.js|ts` under a
    /// `src/` folder, or an entry point `server|app|index|main|db.js|ts` near the root): read only when it contains one of
    /// the bytes of `[code] needles` in `rules/orm-settings.toml` (`synchronize`, `.sync(`).
    AppCode,
    /// A Terraform or OpenTofu configuration (`.tf`, `.tofu`).
    Terraform,
    /// YAML in a `templates/` folder: a Helm chart's templates (`{{ }}` blanked before reading).
    HelmTemplate,
    /// Helm values (`values.yaml`, `values-prod.yaml`, `prod-values.yaml`).
    HelmValues,
    /// A PowerShell script or module (`.ps1`, `.psm1`).
    PowerShell,
    /// A `Justfile` (just's recipes: shell by default).
    Justfile,
    /// A go-task `Taskfile.yml`.
    Taskfile,
    /// A standalone JavaScript/TypeScript, Python, Ruby or PHP program (a shebang, a root-level
    /// `scripts/`, `script/` or `bin/` folder, or a command of the repository runs it): its SQL
    /// string literals handed to a database client are read as SQL.
    Program,
}

/// The language of a standalone program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramLanguage {
    JavaScript,
    Python,
    Ruby,
    Php,
}

/// Root-level folders whose program files are programs without being named anywhere.
pub const PROGRAM_FOLDERS: &[&str] = &["scripts", "script", "bin"];

/// The language of a program file by its name's extension (`reset.ts` → JavaScript).
pub fn program_language_of_name(name: &str) -> Option<ProgramLanguage> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    match ext.to_ascii_lowercase().as_str() {
        "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" => Some(ProgramLanguage::JavaScript),
        "py" => Some(ProgramLanguage::Python),
        "rb" => Some(ProgramLanguage::Ruby),
        "php" => Some(ProgramLanguage::Php),
        _ => None,
    }
}

/// The language of a program whose shebang names `interpreter` (`node`, `python3.12`).
pub fn program_language_of_interpreter(interpreter: &str) -> Option<ProgramLanguage> {
    let base = interpreter.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    match base {
        "node" | "nodejs" | "deno" | "bun" | "ts-node" | "tsx" => Some(ProgramLanguage::JavaScript),
        "python" => Some(ProgramLanguage::Python),
        "ruby" => Some(ProgramLanguage::Ruby),
        "php" => Some(ProgramLanguage::Php),
        _ => None,
    }
}

/// The interpreter a shebang line (`#!/usr/bin/env -S node --flag`) names.
pub fn shebang_interpreter(head: &[u8]) -> Option<&str> {
    let first_line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(first_line).ok()?.trim_end_matches('\r');
    let rest = line.strip_prefix("#!")?.trim();
    let mut words = rest.split_whitespace();
    let mut interpreter = words.next()?.rsplit('/').next()?;
    if interpreter == "env" {
        interpreter = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    Some(interpreter)
}

/// A migration framework whose files are recognised by their path (its documented layout), so
/// only files in that layout are ever parsed with the framework's grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framework {
    /// Rails: `db/migrate/*.rb` (and `db/<name>_migrate/` for other databases).
    Rails,
    /// Laravel: `database/migrations/*.php`.
    Laravel,
    /// Doctrine Migrations: `Version*.php` in a `migrations`/`Migrations`/`DoctrineMigrations` folder.
    Doctrine,
    /// Django: `<app>/migrations/NNNN_name.py`.
    Django,
    /// Alembic and Flask-Migrate: `<alembic|migrations>/versions/*.py`.
    Alembic,
    /// Sequelize, Knex and TypeORM: `.js`/`.ts` files in a `migrations`/`migration` folder (the
    /// front-end tells the three apart by what the file exports).
    JavaScript,
    /// Entity Framework Core: `Migrations/*.cs`, not `.Designer.cs` or the model snapshot.
    EfCore,
    /// Liquibase changelogs: XML, YAML or JSON under a `changelog` folder or named `*changelog*`.
    Liquibase,
    /// Ecto: `priv/<repo>/migrations/*.exs`.
    Ecto,
}

impl Framework {
    /// The framework's name as users write it, for messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Framework::Rails => "Rails",
            Framework::Laravel => "Laravel",
            Framework::Doctrine => "Doctrine",
            Framework::Django => "Django",
            Framework::Alembic => "Alembic",
            Framework::JavaScript => "JavaScript",
            Framework::EfCore => "EF Core",
            Framework::Liquibase => "Liquibase",
            Framework::Ecto => "Ecto",
        }
    }

    /// The file kind's name (`rails-migration`), in `--debug` output and notices.
    pub fn kind_name(self) -> &'static str {
        match self {
            Framework::Rails => "rails-migration",
            Framework::Laravel => "laravel-migration",
            Framework::Doctrine => "doctrine-migration",
            Framework::Django => "django-migration",
            Framework::Alembic => "alembic-migration",
            Framework::JavaScript => "js-migration",
            Framework::EfCore => "ef-core-migration",
            Framework::Liquibase => "liquibase-changelog",
            Framework::Ecto => "ecto-migration",
        }
    }
}

/// The migration framework whose layout a path follows (lower-cased file name `lower`, its
/// extension `ext`, its parent folder `parent`), if any.
fn migration_framework(lower: &str, stem: &str, ext: &str, parent: &str) -> Option<Framework> {
    let dirs: Vec<&str> = parent.split('/').filter(|d| !d.is_empty()).collect();
    let last = dirs.last().copied().unwrap_or("");
    let before_last = dirs.len().checked_sub(2).map_or("", |i| dirs[i]);
    let in_dir = |name: &str| dirs.iter().any(|d| d.eq_ignore_ascii_case(name));
    match ext {
        "rb" if before_last == "db" && (last == "migrate" || last.ends_with("_migrate")) => {
            Some(Framework::Rails)
        }
        "exs" if last == "migrations" && dirs.contains(&"priv") => Some(Framework::Ecto),
        "php" if last == "migrations" && before_last == "database" => Some(Framework::Laravel),
        "php"
            if lower.starts_with("version")
                && matches!(last, "migrations" | "Migrations" | "DoctrineMigrations") =>
        {
            Some(Framework::Doctrine)
        }
        "py" if last == "versions"
            && (before_last.contains("alembic")
                || matches!(before_last, "migrations" | "migration")) =>
        {
            Some(Framework::Alembic)
        }
        "py" if last == "migrations" && stem.starts_with(|c: char| c.is_ascii_digit()) => {
            Some(Framework::Django)
        }
        "js" | "cjs" | "mjs" | "ts" | "mts" | "cts"
            if (matches!(last, "migrations" | "migration")
                || last.ends_with("_migrations")
                || last.ends_with("-migrations"))
                && !lower.ends_with(".d.ts")
                && !in_dir("node_modules")
                && !lower.contains(".test.")
                && !lower.contains(".spec.") =>
        {
            Some(Framework::JavaScript)
        }
        "cs" if last.eq_ignore_ascii_case("migrations")
            && !lower.ends_with(".designer.cs")
            && !lower.ends_with("modelsnapshot.cs") =>
        {
            Some(Framework::EfCore)
        }
        "xml" | "yaml" | "yml" | "json"
            if !in_dir(".github")
                && (in_dir("changelog")
                    || in_dir("changelogs")
                    || in_dir("liquibase")
                    || (lower.contains("changelog")
                        && (lower.starts_with("db.") || in_dir("db") || in_dir("resources")))) =>
        {
            Some(Framework::Liquibase)
        }
        _ => None,
    }
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Shell => "shell",
            FileKind::Sql => "sql",
            FileKind::Compose => "compose",
            FileKind::GithubWorkflow => "github-workflow",
            FileKind::GitlabCi => "gitlab-ci",
            FileKind::Yaml => "yaml",
            FileKind::Makefile => "makefile",
            FileKind::Markdown => "markdown",
            FileKind::DotEnv => "dotenv",
            FileKind::Crontab => "crontab",
            FileKind::Systemd => "systemd",
            FileKind::Migration(framework) => framework.kind_name(),
            FileKind::Dockerfile => "dockerfile",
            FileKind::PackageJson => "package-json",
            FileKind::Procfile => "procfile",
            FileKind::Platform => "platform",
            FileKind::AppConfig => "app-config",
            FileKind::AppCode => "app-code",
            FileKind::Terraform => "terraform",
            FileKind::HelmTemplate => "helm-template",
            FileKind::HelmValues => "helm-values",
            FileKind::PowerShell => "powershell",
            FileKind::Justfile => "justfile",
            FileKind::Taskfile => "taskfile",
            FileKind::Program => "program",
        }
    }

    /// Whether a file of this kind may hold shell commands.
    pub fn may_hold_shell(self) -> bool {
        !matches!(
            self,
            FileKind::Sql
                | FileKind::DotEnv
                | FileKind::Migration(_)
                | FileKind::Terraform
                | FileKind::HelmValues
                | FileKind::Program
        )
    }
}

/// What the name alone says about a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameClass {
    Kind(FileKind),
    /// No extension: a script only if its first bytes are a shell shebang (or a program's).
    Sniff,
    /// A program file (`.js`, `.py`, `.rb`, `.php`) outside the root-level program folders: read
    /// only when a command of the repository runs it (decided after the other files are read).
    Deferred,
    Skip,
}

/// Classify by the repo-relative path (with `/` separators).
pub fn classify_name(path: &str) -> NameClass {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let parent = parent_dir(path);

    if let Some(kind) = by_exact_name(&lower, parent) {
        return NameClass::Kind(kind);
    }
    let Some((stem, ext)) = lower.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()) else {
        // `.env`, `.envrc`-style dotfiles and plain extensionless names.
        if lower.starts_with(".env.") || lower == ".env" {
            return NameClass::Kind(FileKind::DotEnv);
        }
        if lower.starts_with('.') {
            return NameClass::Skip;
        }
        if parent.ends_with("cron.d") || parent.ends_with("crontabs") {
            return NameClass::Kind(FileKind::Crontab);
        }
        return NameClass::Sniff;
    };
    if lower.starts_with(".env.") {
        return NameClass::Kind(FileKind::DotEnv);
    }
    // `Dockerfile.prod`, `api.Dockerfile`, `x.containerfile`; `Procfile.dev`.
    if stem == "dockerfile"
        || stem == "containerfile"
        || ext == "dockerfile"
        || ext == "containerfile"
    {
        return NameClass::Kind(FileKind::Dockerfile);
    }
    if stem == "procfile" {
        return NameClass::Kind(FileKind::Procfile);
    }
    let spring_name = |s: &str| {
        s == "application"
            || s.starts_with("application-")
            || s == "bootstrap"
            || s.starts_with("bootstrap-")
    };
    if (ext == "properties" && (spring_name(stem) || stem == "hibernate"))
        || (matches!(ext, "yml" | "yaml") && spring_name(stem))
        || is_app_config(stem, ext, parent)
    {
        return NameClass::Kind(FileKind::AppConfig);
    }
    if let Some(framework) = migration_framework(&lower, stem, ext, parent) {
        return NameClass::Kind(FileKind::Migration(framework));
    }
    if is_app_code(&lower, ext, parent) {
        return NameClass::Kind(FileKind::AppCode);
    }
    match ext {
        "sh" | "bash" | "zsh" | "ksh" | "dash" => NameClass::Kind(FileKind::Shell),
        "ps1" | "psm1" => NameClass::Kind(FileKind::PowerShell),
        "just" => NameClass::Kind(FileKind::Justfile),
        "sql" => NameClass::Kind(FileKind::Sql),
        "md" | "markdown" => NameClass::Kind(FileKind::Markdown),
        "mk" | "mak" => NameClass::Kind(FileKind::Makefile),
        "env" => NameClass::Kind(FileKind::DotEnv),
        "cron" | "crontab" => NameClass::Kind(FileKind::Crontab),
        "timer" | "service" => NameClass::Kind(FileKind::Systemd),
        "tf" | "tofu" => NameClass::Kind(FileKind::Terraform),
        // The variable files Terraform loads by itself (others are named with `-var-file`).
        "tfvars" if stem == "terraform" || stem.ends_with(".auto") => {
            NameClass::Kind(FileKind::Terraform)
        }
        "yml" | "yaml" => NameClass::Kind(yaml_kind(path, stem, parent)),
        _ if program_language_of_name(&lower).is_some() => program_class(&lower, parent),
        _ => NameClass::Skip,
    }
}

/// A program file: one in a root-level program folder is read; others wait until a command
/// names them. Dependencies, build output and minified or declaration files never are.
fn program_class(lower: &str, parent: &str) -> NameClass {
    if lower.ends_with(".d.ts") || lower.ends_with(".min.js") {
        return NameClass::Skip;
    }
    let mut dirs = parent.split('/').filter(|d| !d.is_empty());
    if parent.split('/').any(|d| {
        matches!(
            d,
            "node_modules" | "vendor" | "dist" | "build" | "out" | ".next" | "site-packages"
        )
    }) {
        return NameClass::Skip;
    }
    match dirs.next() {
        Some(top) if PROGRAM_FOLDERS.contains(&top) => NameClass::Kind(FileKind::Program),
        _ => NameClass::Deferred,
    }
}

/// Configuration files of migration tools and frameworks other than Spring, by name (lower-cased
/// `stem` and `ext`) and folder.
fn is_app_config(stem: &str, ext: &str, parent: &str) -> bool {
    let last = parent.rsplit('/').next().unwrap_or(parent);
    match ext {
        "conf" | "toml" => stem == "flyway" || stem.starts_with("flyway."),
        "properties" => stem == "liquibase" || stem.starts_with("liquibase."),
        "yml" | "yaml" => (stem == "database" && last == "config") || stem == "ormconfig",
        // Django settings (`settings.py`, `settings_prod.py`, `local_settings.py`, `settings/*.py`).
        // A migration named for settings (`0036_remove_order_settings.py`) is a migration.
        "py" => {
            let migration = stem.starts_with(|c: char| c.is_ascii_digit())
                || parent
                    .split('/')
                    .any(|part| part == "migrations" || part == "versions");
            !migration
                && (stem == "settings"
                    || stem.starts_with("settings_")
                    || stem.ends_with("_settings")
                    || (last == "settings" && stem != "__init__"))
        }
        "js" | "cjs" | "mjs" | "ts" => matches!(
            stem,
            "knexfile" | "ormconfig" | "data-source" | "datasource" | "typeorm.config"
        ),
        "json" => {
            stem == "appsettings"
                || stem.starts_with("appsettings.")
                || stem == "ormconfig"
                || (stem == "config" && last == "config")
        }
        _ => false,
    }
}

/// Application code that may set up its ORM: `*.js|ts` in a `src/` folder (not tests, type
/// declarations, bundles or dependencies), or an entry point or database module (`server.js`,
/// `main.ts`, `db.js`) at most two folders down (`server.js`, `backend/api/index.js`).
fn is_app_code(lower: &str, ext: &str, parent: &str) -> bool {
    if !matches!(ext, "js" | "mjs" | "cjs" | "ts" | "mts" | "cts")
        || lower.ends_with(".d.ts")
        || lower.ends_with(".min.js")
        || lower.contains(".spec.")
        || lower.contains(".test.")
    {
        return false;
    }
    let dirs: Vec<&str> = parent.split('/').filter(|d| !d.is_empty()).collect();
    if dirs.iter().any(|d| {
        matches!(
            *d,
            "node_modules" | "dist" | "build" | "out" | "vendor" | "coverage" | ".next"
        )
    }) {
        return false;
    }
    // `src/scripts/seed.ts`: a program (read when a command runs it), not the application.
    if dirs.iter().any(|d| PROGRAM_FOLDERS.contains(d)) {
        return false;
    }
    let stem = lower.rsplit_once('.').map_or(lower, |(s, _)| s);
    dirs.contains(&"src")
        || (dirs.len() <= 2
            && matches!(
                stem,
                "server" | "app" | "index" | "main" | "db" | "database"
            ))
}

fn by_exact_name(lower: &str, _parent: &str) -> Option<FileKind> {
    match lower {
        "makefile" | "gnumakefile" => Some(FileKind::Makefile),
        "justfile" | ".justfile" => Some(FileKind::Justfile),
        "taskfile.yml" | "taskfile.yaml" | "taskfile.dist.yml" | "taskfile.dist.yaml" => {
            Some(FileKind::Taskfile)
        }
        "crontab" => Some(FileKind::Crontab),
        "dockerfile" | "containerfile" => Some(FileKind::Dockerfile),
        "package.json" => Some(FileKind::PackageJson),
        "procfile" => Some(FileKind::Procfile),
        "app.json" | "heroku.yml" | "render.yaml" | "render.yml" | "fly.toml" | "railway.json"
        | "railway.toml" | "nixpacks.toml" => Some(FileKind::Platform),
        ".gitlab-ci.yml" | ".gitlab-ci.yaml" => Some(FileKind::GitlabCi),
        _ => None,
    }
}

fn yaml_kind(path: &str, stem: &str, parent: &str) -> FileKind {
    if parent == ".github/workflows" || parent.ends_with("/.github/workflows") {
        return FileKind::GithubWorkflow;
    }
    if stem.ends_with(".gitlab-ci") || stem == "gitlab-ci" {
        return FileKind::GitlabCi;
    }
    if stem == "compose"
        || stem.starts_with("docker-compose")
        || stem.starts_with("compose.")
        || stem.ends_with(".compose")
        || stem.starts_with("podman-compose")
    {
        return FileKind::Compose;
    }
    // Helm keeps templates in `templates/` and its subfolders.
    if parent.split('/').any(|d| d == "templates") && !path.contains(".github/") {
        return FileKind::HelmTemplate;
    }
    if stem == "values"
        || stem.starts_with("values-")
        || stem.starts_with("values.")
        || stem.starts_with("values_")
        || stem.ends_with("-values")
        || stem.ends_with(".values")
        || stem.ends_with("_values")
    {
        return FileKind::HelmValues;
    }
    FileKind::Yaml
}

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// Classify an extensionless file by its first bytes: a shell shebang makes it a script, a
/// node/python/ruby/php one a program.
pub fn classify_head(head: &[u8]) -> Option<FileKind> {
    let interpreter = shebang_interpreter(head)?;
    if matches!(
        interpreter,
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" | "mksh"
    ) {
        return Some(FileKind::Shell);
    }
    program_language_of_interpreter(interpreter).map(|_| FileKind::Program)
}

/// True when the bytes look binary: a NUL anywhere. git and ripgrep look only at the first
/// 8 KiB because they stream; a file here is read whole before it is analysed, so a NUL after
/// the first block is found for the price of one `memchr` (what `contains` does on bytes).
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        use FileKind::*;
        let table: &[(&str, NameClass)] = &[
            ("stop.sh", NameClass::Kind(Shell)),
            ("scripts/deploy.bash", NameClass::Kind(Shell)),
            ("db/schema.sql", NameClass::Kind(Sql)),
            ("docker-compose.yml", NameClass::Kind(Compose)),
            ("deploy/docker-compose.prod.yaml", NameClass::Kind(Compose)),
            ("compose.yaml", NameClass::Kind(Compose)),
            ("compose.override.yml", NameClass::Kind(Compose)),
            ("app.compose.yml", NameClass::Kind(Compose)),
            (".github/workflows/ci.yml", NameClass::Kind(GithubWorkflow)),
            (
                "sub/.github/workflows/ci.yaml",
                NameClass::Kind(GithubWorkflow),
            ),
            (".gitlab-ci.yml", NameClass::Kind(GitlabCi)),
            ("ci/deploy.gitlab-ci.yml", NameClass::Kind(GitlabCi)),
            ("k8s/values.yaml", NameClass::Kind(HelmValues)),
            ("charts/db/values-prod.yaml", NameClass::Kind(HelmValues)),
            ("deploy/prod-values.yml", NameClass::Kind(HelmValues)),
            (
                "charts/db/templates/statefulset.yaml",
                NameClass::Kind(HelmTemplate),
            ),
            ("k8s/postgres.yaml", NameClass::Kind(Yaml)),
            ("Makefile", NameClass::Kind(Makefile)),
            ("build/rules.mk", NameClass::Kind(Makefile)),
            ("docs/RESTORE.md", NameClass::Kind(Markdown)),
            (".env", NameClass::Kind(DotEnv)),
            (".env.production", NameClass::Kind(DotEnv)),
            (".env.example", NameClass::Kind(DotEnv)),
            ("config/db.env", NameClass::Kind(DotEnv)),
            ("crontab", NameClass::Kind(Crontab)),
            ("etc/cron.d/backup", NameClass::Kind(Crontab)),
            ("systemd/backup.timer", NameClass::Kind(Systemd)),
            ("bin/reset-db", NameClass::Sniff),
            (".gitignore", NameClass::Skip),
            ("src/main.rs", NameClass::Skip),
            ("Dockerfile", NameClass::Kind(Dockerfile)),
            ("docker/Dockerfile.prod", NameClass::Kind(Dockerfile)),
            ("api.Dockerfile", NameClass::Kind(Dockerfile)),
            ("Containerfile", NameClass::Kind(Dockerfile)),
            ("package.json", NameClass::Kind(PackageJson)),
            ("node_modules/x/package.json", NameClass::Kind(PackageJson)),
            ("Procfile", NameClass::Kind(Procfile)),
            ("Procfile.dev", NameClass::Kind(Procfile)),
            ("render.yaml", NameClass::Kind(Platform)),
            ("fly.toml", NameClass::Kind(Platform)),
            ("railway.json", NameClass::Kind(Platform)),
            ("app.json", NameClass::Kind(Platform)),
            ("heroku.yml", NameClass::Kind(Platform)),
            (
                "src/main/resources/application-prod.properties",
                NameClass::Kind(AppConfig),
            ),
            (
                "src/main/resources/application.yml",
                NameClass::Kind(AppConfig),
            ),
            ("config/messages.properties", NameClass::Skip),
            ("logo.png", NameClass::Skip),
            ("infra/rds.tf", NameClass::Kind(Terraform)),
            ("infra/terraform.tfvars", NameClass::Kind(Terraform)),
            ("infra/prod.auto.tfvars", NameClass::Kind(Terraform)),
            ("infra/prod.tfvars", NameClass::Skip),
            ("config/database.yml", NameClass::Kind(AppConfig)),
            ("db/database.yml", NameClass::Kind(Yaml)),
            (
                "src/Api/appsettings.Production.json",
                NameClass::Kind(AppConfig),
            ),
            ("flyway.conf", NameClass::Kind(AppConfig)),
            ("conf/flyway.toml", NameClass::Kind(AppConfig)),
            ("liquibase.properties", NameClass::Kind(AppConfig)),
            ("server/config/config.json", NameClass::Kind(AppConfig)),
            ("config.json", NameClass::Skip),
            ("ormconfig.json", NameClass::Kind(AppConfig)),
            ("mysite/settings.py", NameClass::Kind(AppConfig)),
            ("mysite/local_settings.py", NameClass::Kind(AppConfig)),
            ("mysite/settings/production.py", NameClass::Kind(AppConfig)),
            ("knexfile.ts", NameClass::Kind(AppConfig)),
            ("src/data-source.ts", NameClass::Kind(AppConfig)),
            ("src/app.module.ts", NameClass::Kind(AppCode)),
            ("api/src/db/index.js", NameClass::Kind(AppCode)),
            ("server.js", NameClass::Kind(AppCode)),
            // A test module: read only if a command runs it.
            ("src/app.module.spec.ts", NameClass::Deferred),
            ("scripts/reset-db.ts", NameClass::Kind(Program)),
            ("bin/wipe.py", NameClass::Kind(Program)),
            ("script/clean.rb", NameClass::Kind(Program)),
            ("app/scripts/reset.js", NameClass::Deferred),
            ("src/scripts/seed.ts", NameClass::Deferred),
            ("packages/api/src/bin/reset.ts", NameClass::Deferred),
            ("tools/purge.php", NameClass::Deferred),
            ("scripts/node_modules/x/index.js", NameClass::Skip),
            ("scripts/types.d.ts", NameClass::Skip),
            ("public/app.min.js", NameClass::Skip),
            ("src/types.d.ts", NameClass::Skip),
            ("project/server.js", NameClass::Kind(AppCode)),
            ("lib/utils.js", NameClass::Deferred),
            ("a/b/c/server.js", NameClass::Deferred),
            ("node_modules/x/src/index.js", NameClass::Skip),
            ("app/models.py", NameClass::Deferred),
            (
                "shop/migrations/0036_remove_order_settings.py",
                NameClass::Kind(Migration(Framework::Django)),
            ),
            ("main.tofu", NameClass::Kind(Terraform)),
            (
                "db/migrate/20240101000000_drop_fax.rb",
                NameClass::Kind(Migration(Framework::Rails)),
            ),
            (
                "db/cache_migrate/20240101_x.rb",
                NameClass::Kind(Migration(Framework::Rails)),
            ),
            ("app/models/user.rb", NameClass::Deferred),
            (
                "database/migrations/2024_01_01_000000_drop.php",
                NameClass::Kind(Migration(Framework::Laravel)),
            ),
            (
                "migrations/Version20240101000000.php",
                NameClass::Kind(Migration(Framework::Doctrine)),
            ),
            (
                "src/Migrations/Version20240101.php",
                NameClass::Kind(Migration(Framework::Doctrine)),
            ),
            (
                "shop/migrations/0002_remove_fax.py",
                NameClass::Kind(Migration(Framework::Django)),
            ),
            ("shop/migrations/__init__.py", NameClass::Deferred),
            (
                "alembic/versions/abc123_drop.py",
                NameClass::Kind(Migration(Framework::Alembic)),
            ),
            (
                "migrations/versions/abc123_drop.py",
                NameClass::Kind(Migration(Framework::Alembic)),
            ),
            (
                "migrations/20240101-drop.js",
                NameClass::Kind(Migration(Framework::JavaScript)),
            ),
            (
                "src/migration/1700000000000-Drop.ts",
                NameClass::Kind(Migration(Framework::JavaScript)),
            ),
            ("migrations/types.d.ts", NameClass::Skip),
            (
                "packages/backend/migration/1700000000000-drop.mts",
                NameClass::Kind(Migration(Framework::JavaScript)),
            ),
            (
                "Data/Migrations/20240101_Drop.cs",
                NameClass::Kind(Migration(Framework::EfCore)),
            ),
            ("Data/Migrations/20240101_Drop.Designer.cs", NameClass::Skip),
            (
                "db/knex_migrations/2023-08-16-0000-create-uptime.js",
                NameClass::Kind(Migration(Framework::JavaScript)),
            ),
            (
                "Data/Migrations/AppDbContextModelSnapshot.cs",
                NameClass::Skip,
            ),
            (
                "src/main/resources/db/changelog/db.changelog-master.yaml",
                NameClass::Kind(Migration(Framework::Liquibase)),
            ),
            (
                "src/main/resources/db/changelog/changes/001.xml",
                NameClass::Kind(Migration(Framework::Liquibase)),
            ),
            (
                ".github/workflows/changelog.yml",
                NameClass::Kind(GithubWorkflow),
            ),
            ("docs/changelog.yml", NameClass::Kind(Yaml)),
            (
                "priv/repo/migrations/20240101_drop.exs",
                NameClass::Kind(Migration(Framework::Ecto)),
            ),
        ];
        for (path, want) in table {
            assert_eq!(classify_name(path), *want, "{path}");
        }
    }

    #[test]
    fn shebangs() {
        let table: &[(&[u8], Option<FileKind>)] = &[
            (b"#!/bin/sh\necho", Some(FileKind::Shell)),
            (b"#!/usr/bin/env bash\n", Some(FileKind::Shell)),
            (b"#!/usr/bin/env -S bash -e\n", Some(FileKind::Shell)),
            (b"#! /bin/zsh\r\n", Some(FileKind::Shell)),
            (b"#!/usr/bin/env python3\n", Some(FileKind::Program)),
            (
                b"#!/usr/bin/env -S node --no-warnings\n",
                Some(FileKind::Program),
            ),
            (b"#!/usr/bin/ruby\n", Some(FileKind::Program)),
            (b"#!/usr/bin/perl\n", None),
            (b"FROM postgres:16\n", None),
            (b"", None),
        ];
        for (head, want) in table {
            assert_eq!(
                classify_head(head),
                *want,
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn binary() {
        assert!(looks_binary(b"ab\0cd"));
        let mut late = vec![b'x'; 100_000];
        late[90_000] = 0;
        assert!(looks_binary(&late));
        assert!(!looks_binary(b"#!/bin/sh\n"));
    }
}
