//! The real binary at start: a database it cannot reach is one clear line and exit 1.

use std::process::{Command, Output};
use store::testing::TempDir;

/// Runs the server binary in `dir` with `env` (and no `DATABASE_URL` unless given), on
/// a port of its own, logs off; returns when it exits.
fn start_server(dir: &TempDir, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .current_dir(&dir.path)
        .env_remove("DATABASE_URL")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_OUTPUT_NAME", "tickerboard")
        .env("RUST_LOG", "off");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run the server binary")
}

#[test]
fn unreachable_database_is_one_line_naming_the_setting() {
    let dir = TempDir::new();
    let output = start_server(
        &dir,
        &[(
            "DATABASE_URL",
            "postgres://reader:hunter2-secret@127.0.0.1:1/prices",
        )],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("hunter2"));
}

#[test]
fn a_wrong_settings_file_stops_the_server() {
    let dir = TempDir::new();
    std::fs::write(
        dir.path.join("Leptos.toml"),
        "[dashboard]\ndefault_symbl = \"IBM\"\n",
    )
    .unwrap();
    let output = start_server(&dir, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("default_symbl"), "{stderr}");
    assert!(
        !dir.path.join("tickerboard.db").exists(),
        "nothing created before the settings are valid"
    );
}

/// `server healthcheck` (the container's health check) against a running server on
/// the zero-setup SQLite file: 0; against a port where nothing answers: 1 and why.
#[test]
fn the_healthcheck_subcommand_asks_the_running_server() {
    let dir = TempDir::new();
    let port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let (up, down) = (port(), port());
    let mut server = Command::new(env!("CARGO_BIN_EXE_server"))
        .current_dir(&dir.path)
        .env_remove("DATABASE_URL")
        .env("LEPTOS_SITE_ADDR", format!("0.0.0.0:{up}"))
        .env("LEPTOS_OUTPUT_NAME", "tickerboard")
        .env("RUST_LOG", "off")
        .spawn()
        .expect("run the server binary");
    let check = |port: u16| {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .arg("healthcheck")
            .env("LEPTOS_SITE_ADDR", format!("0.0.0.0:{port}"))
            .env("LEPTOS_OUTPUT_NAME", "tickerboard")
            .output()
            .unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let healthy = loop {
        let output = check(up);
        if output.status.success() || std::time::Instant::now() > deadline {
            break output;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let _ = server.kill();
    let _ = server.wait();
    assert!(healthy.status.success(), "{healthy:?}");
    let sick = check(down);
    assert_eq!(sick.status.code(), Some(1));
    let said = String::from_utf8_lossy(&sick.stderr);
    assert!(said.contains(&format!("127.0.0.1:{down}")), "{said}");
}
