//! How wrapper commands read their flags: which options of `sudo`, `env`, `time`, `nice`,
//! `timeout`, `xargs`, `runuser`, `flock`, `ssh`, `kubectl exec` and the container CLIs take a
//! value, so the word after them is skipped, not mistaken for the command they run. One table,
//! read by the shell front-end (which peels wrappers off every command) and by the backup
//! analysis (which also looks inside `docker run IMAGE cmd…`).

use std::sync::OnceLock;

use crate::knowledge::docker;

/// A wrapper whose options are known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrapper {
    Sudo,
    Env,
    Time,
    Exec,
    Nice,
    Ionice,
    Stdbuf,
    Timeout,
    Xargs,
    Runuser,
    Flock,
    Ssh,
    Kubectl,
    KubectlExec,
    /// `docker`/`podman` options before the subcommand.
    DockerGlobal,
    /// `docker compose`/`docker-compose` options before the subcommand.
    ComposeGlobal,
    /// `docker exec`/`podman exec` options before the container.
    ContainerExec,
    /// `docker compose exec|run` options before the service.
    ComposeExec,
    /// `docker run` options before the image.
    ContainerRun,
}

/// The options of `wrapper` that take a value (short `-u` and long `--user` forms).
pub fn value_flags(wrapper: Wrapper) -> &'static [&'static str] {
    match wrapper {
        Wrapper::Sudo => &[
            "-u",
            "-g",
            "-C",
            "-D",
            "-p",
            "-r",
            "-t",
            "-U",
            "-T",
            "-R",
            "-h",
            "--user",
            "--group",
            "--prompt",
            "--chdir",
            "--host",
            "--role",
            "--type",
            "--close-from",
            "--other-user",
            "--command-timeout",
        ],
        Wrapper::Env => &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"],
        Wrapper::Time => &["-o", "-f", "--output", "--format"],
        Wrapper::Exec => &["-a"],
        Wrapper::Nice => &["-n", "--adjustment"],
        Wrapper::Ionice => &["-c", "-n", "-p", "--class", "--classdata"],
        Wrapper::Stdbuf => &["-i", "-o", "-e"],
        Wrapper::Timeout => &["-s", "-k", "--signal", "--kill-after"],
        Wrapper::Xargs => &[
            "-I",
            "-n",
            "-P",
            "-L",
            "-d",
            "-s",
            "-a",
            "-E",
            "--max-args",
            "--max-procs",
            "--max-lines",
            "--delimiter",
            "--arg-file",
            "--replace",
        ],
        Wrapper::Runuser => &[
            "-u",
            "--user",
            "-g",
            "--group",
            "-G",
            "--supp-group",
            "-s",
            "--shell",
            "-w",
            "--whitelist-environment",
        ],
        Wrapper::Flock => &["-w", "--timeout", "-E", "--conflict-exit-code"],
        Wrapper::Ssh => &[
            "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o",
            "-p", "-Q", "-R", "-S", "-W", "-w", "-B",
        ],
        Wrapper::Kubectl => &[
            "-n",
            "--namespace",
            "--context",
            "--kubeconfig",
            "--cluster",
            "--user",
            "-s",
            "--server",
        ],
        Wrapper::KubectlExec => &[
            "-n",
            "--namespace",
            "-c",
            "--container",
            "-f",
            "--filename",
            "--context",
            "--pod-running-timeout",
        ],
        Wrapper::DockerGlobal => global(false),
        Wrapper::ComposeGlobal => global(true),
        Wrapper::ContainerExec => &[
            "-e",
            "--env",
            "--env-file",
            "-u",
            "--user",
            "-w",
            "--workdir",
            "--detach-keys",
        ],
        Wrapper::ComposeExec => &[
            "-e",
            "--env",
            "--env-file",
            "-u",
            "--user",
            "-w",
            "--workdir",
            "--index",
            "-v",
            "--volume",
            "-p",
            "--publish",
            "--name",
            "--entrypoint",
            "-l",
            "--label",
        ],
        Wrapper::ContainerRun => &[
            "-u",
            "--user",
            "-e",
            "--env",
            "-w",
            "--workdir",
            "--env-file",
            "-v",
            "--volume",
            "--name",
            "--network",
            "--net",
            "--entrypoint",
            "-p",
            "--publish",
            "--mount",
            "--volumes-from",
            "-l",
            "--label",
            "--platform",
            "--pull",
            "--detach-keys",
            "--link",
            "--hostname",
            "-h",
            "--restart",
            "--memory",
            "-m",
            "--cpus",
            "--tmpfs",
            "--add-host",
        ],
    }
}

/// The global value options of `docker` (or `docker compose`), from the CLI table in
/// [`docker`], spelt as words (`-c`, `--context`).
fn global(compose: bool) -> &'static [&'static str] {
    static DOCKER: OnceLock<Vec<&'static str>> = OnceLock::new();
    static COMPOSE: OnceLock<Vec<&'static str>> = OnceLock::new();
    let cell = if compose { &COMPOSE } else { &DOCKER };
    cell.get_or_init(|| {
        docker::global_value_flags(compose)
            .into_iter()
            .map(|f| &*Box::leak(f.into_boxed_str()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals_come_from_the_docker_table() {
        let docker = value_flags(Wrapper::DockerGlobal);
        assert!(docker.contains(&"-c") && docker.contains(&"--context"));
        assert!(
            !docker.contains(&"--debug"),
            "a boolean option takes no value"
        );
        let compose = value_flags(Wrapper::ComposeGlobal);
        assert!(compose.contains(&"-f") && compose.contains(&"--project-directory"));
    }
}
