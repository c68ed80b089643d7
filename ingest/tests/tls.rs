//! TLS to Postgres, as a Supabase owner connects: a throwaway Postgres of this test's
//! own with `ssl=on` and a server certificate signed by a CA the test makes. The store
//! (what the server, the CLI and the Lambda functions all open their database with)
//! connects with `sslmode=verify-full` against that CA, is refused against another CA,
//! and encrypts with `sslmode=require`; the CLI connects through `DATABASE_URL`.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use store::testing::TempDir;
use store::{DatabaseSettings, Store, StoreOptions};

/// A CA that signs certificates.
fn certificate_authority(name: &str) -> CertifiedIssuer<'static, KeyPair> {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap()
}

fn pg_bin() -> PathBuf {
    if let Ok(bin) = std::env::var("PG_BIN") {
        return bin.into();
    }
    std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL binaries in /usr/lib/postgresql (apt-get install postgresql)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .find(|bin| bin.join("initdb").exists())
        .expect("an initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

/// initdb refuses root: as root, the cluster is the `postgres` user's.
fn as_owner(program: &Path, args: &[&str]) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--"])
            .arg(program)
            .args(args);
        command
    } else {
        let mut command = Command::new(program);
        command.args(args);
        command
    }
}

fn give_to_owner(path: &Path) {
    if is_root() {
        let status = Command::new("chown")
            .args(["-R", "postgres:"])
            .arg(path)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

/// Runs a PostgreSQL program as the cluster's owner; on failure, panics with its
/// stderr and the server's `log`.
fn run_pg(program: &str, args: &[&str], log: Option<&Path>) {
    let out = as_owner(&pg_bin().join(program), args).output().unwrap();
    assert!(
        out.status.success(),
        "{program}: {} {}",
        String::from_utf8_lossy(&out.stderr),
        log.and_then(|l| std::fs::read_to_string(l).ok())
            .unwrap_or_default()
    );
}

/// A Postgres cluster serving TLS with `cert`, on a free loopback port; stopped on drop.
struct TlsPostgres {
    dir: TempDir,
    port: u16,
}

impl TlsPostgres {
    fn start(server_cert: &str, server_key: &str) -> TlsPostgres {
        let dir = TempDir::new();
        std::fs::set_permissions(&dir.path, std::fs::Permissions::from_mode(0o755)).unwrap();
        give_to_owner(&dir.path);
        let data = dir.path.join("data");
        let data_dir = data.to_str().unwrap();
        run_pg(
            "initdb",
            &["-D", data_dir, "-U", "postgres", "-A", "trust", "--no-sync"],
            None,
        );
        for (name, text) in [("server.crt", server_cert), ("server.key", server_key)] {
            let path = data.join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            give_to_owner(&path);
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c ssl=on \
             -c ssl_cert_file=server.crt -c ssl_key_file=server.key -c fsync=off",
            dir.path.display()
        );
        let log = dir.path.join("server.log");
        let log_file = log.to_str().unwrap();
        let start = [
            "-D", data_dir, "-l", log_file, "-w", "-t", "60", "-o", &options, "start",
        ];
        run_pg("pg_ctl", &start, Some(&log));
        TlsPostgres { dir, port }
    }

    fn url(&self, query: &str) -> String {
        format!(
            "postgres://postgres:pw-never-shown@127.0.0.1:{}/postgres?{query}",
            self.port
        )
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        let data = self.dir.path.join("data");
        let _ = as_owner(
            &pg_bin().join("pg_ctl"),
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        )
        .output();
    }
}

#[tokio::test]
async fn verify_full_against_our_ca_connects_and_another_ca_is_refused() {
    let ca = certificate_authority("tickerboard test CA");
    let server_key = KeyPair::generate().unwrap();
    let server_params =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let server_cert = server_params.signed_by(&server_key, &ca).unwrap();
    let postgres = TlsPostgres::start(&server_cert.pem(), &server_key.serialize_pem());

    let certs = TempDir::new();
    let ours = certs.path.join("ca.pem");
    std::fs::write(&ours, ca.pem()).unwrap();
    let theirs = certs.path.join("other-ca.pem");
    std::fs::write(&theirs, certificate_authority("someone else").pem()).unwrap();

    // verify-full with the CA that signed the server's certificate: connected, encrypted.
    let url = postgres.url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        ours.display()
    ));
    let opened = Store::open(&DatabaseSettings::for_url(&url))
        .await
        .expect("verify-full against our CA");
    assert!(opened.store.is_encrypted().await.unwrap());
    opened.store.close().await;

    // require: encrypted, certificate not checked (Supabase's pooler with no CA file).
    let store = Store::connect(&postgres.url("sslmode=require"), &StoreOptions::default())
        .await
        .expect("sslmode=require");
    assert!(store.is_encrypted().await.unwrap());
    store.close().await;

    // verify-full with a CA that did not sign it: refused, with no password in the words.
    let wrong = postgres.url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        theirs.display()
    ));
    let err = Store::connect(&wrong, &StoreOptions::default())
        .await
        .expect_err("a certificate our CA file does not vouch for is refused")
        .to_string();
    assert!(err.contains("DATABASE_URL"), "{err}");
    assert!(!err.contains("pw-never-shown"), "{err}");

    // The CLI (as the server and the Lambda functions) opens the same way.
    let dir = TempDir::new();
    let out = Command::new(env!("CARGO_BIN_EXE_ingest"))
        .arg("runs")
        .current_dir(&dir.path)
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ingest"))
        .arg("runs")
        .current_dir(&dir.path)
        .env("DATABASE_URL", &wrong)
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("pw-never-shown"));
}
