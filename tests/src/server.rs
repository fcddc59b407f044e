//! A `mediakit serve` child process on a free port with a temporary data
//! directory, on the store [`crate::test_store::store_kind`] selects.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use crate::test_store::{S3Service, StoreKind, TestStore, store_kind};

pub struct ServerProcess {
    child: Option<Child>,
    addr: String,
    data: Option<DataDir>,
    stdout_lines: mpsc::Receiver<String>,
}

/// A server's data directory and, on the postgres+s3 backend, its
/// database and bucket prefix: what a restart needs to find the same store.
pub struct DataDir {
    // Field order: the store is dropped (database, prefix) before the
    // directory that names it.
    store: Option<TestStore>,
    dir: tempfile::TempDir,
}

impl DataDir {
    /// A new, empty data directory.
    pub fn new() -> Self {
        tempfile::tempdir().expect("temp data dir").into()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The Postgres database and S3 prefix, on the postgres+s3 backend.
    pub fn store(&self) -> Option<&TestStore> {
        self.store.as_ref()
    }

    /// The directory of the blobs when they are on local disk.
    pub fn local_blobs_dir(&self) -> Option<PathBuf> {
        self.store().is_none().then(|| self.path().join("blobs"))
    }

    /// Every blob key in this store, read straight from the disk or the
    /// bucket (not through a server).
    pub fn blob_keys(&self) -> BTreeSet<String> {
        match self.store() {
            Some(store) => S3Service::list(&store.blobs()).into_iter().collect(),
            None => crate::files_under(&self.path().join("blobs"))
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect(),
        }
    }

    /// Writes a blob behind the server's back (to simulate leftovers).
    pub fn put_blob(&self, key: &str, bytes: &[u8]) {
        match self.store() {
            Some(store) => S3Service::put(&store.blobs(), key, bytes),
            None => {
                let file = self.path().join("blobs").join(key);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, bytes).unwrap();
            }
        }
    }

    pub fn blob_exists(&self, key: &str) -> bool {
        match self.store() {
            Some(store) => S3Service::exists(&store.blobs(), key),
            None => self.path().join("blobs").join(key).is_file(),
        }
    }

    /// Points the directory at a fresh store of the selected backend,
    /// unless its mediakit.toml already names one (a test's own settings in
    /// that file are kept).
    fn prepare(&mut self) {
        if store_kind() != StoreKind::PostgresS3 || self.store.is_some() {
            return;
        }
        let file = self.path().join("mediakit.toml");
        let existing = std::fs::read_to_string(&file).unwrap_or_default();
        let names_a_store = existing.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("database") || l.starts_with("storage") || l.starts_with("[s3]")
        });
        if names_a_store {
            return;
        }
        let store = TestStore::create();
        store.write_config(self.path(), &existing);
        self.store = Some(store);
    }
}

impl Default for DataDir {
    fn default() -> Self {
        Self::new()
    }
}

impl From<tempfile::TempDir> for DataDir {
    fn from(dir: tempfile::TempDir) -> Self {
        Self { store: None, dir }
    }
}

/// Runs `mediakit <args> --data <data>` to the end.
pub fn on_data(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(binary())
        .args(args)
        .arg("--data")
        .arg(data)
        .output()
        .unwrap()
}

/// `out` is a command that succeeded; its stderr otherwise.
pub fn assert_succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The `mediakit` binary, built once per test process. `MEDIAKIT_BIN`
/// overrides it; otherwise it is built (incrementally, so usually a no-op)
/// next to this test binary, in the same profile.
pub fn binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Ok(bin) = std::env::var("MEDIAKIT_BIN") {
            return PathBuf::from(bin);
        }
        // <target>/<profile>/deps/<test-binary>
        let exe = std::env::current_exe().expect("test binary path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>");
        let release = profile_dir.file_name().is_some_and(|n| n == "release");
        let workspace = &Path::new(&manifest_dir()).parent().unwrap().to_path_buf();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut cmd = Command::new(cargo);
        cmd.current_dir(workspace)
            .args([
                "build",
                "--quiet",
                "-p",
                "mediakit-server",
                "--bin",
                "mediakit",
            ])
            .env("CARGO_TARGET_DIR", profile_dir.parent().unwrap());
        if release {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("running cargo build for the server");
        assert!(status.success(), "building the mediakit binary failed");
        profile_dir.join("mediakit")
    })
}

impl ServerProcess {
    /// Starts a server and waits until it listens.
    pub fn start(flags: &[&str]) -> ServerProcess {
        Self::start_in(DataDir::new(), flags)
    }

    /// Starts a server on an existing data directory (e.g. after a restart).
    pub fn start_in(data: impl Into<DataDir>, flags: &[&str]) -> ServerProcess {
        let mut data = data.into();
        data.prepare();
        Self::start_configured(data, flags, &[])
    }

    /// Starts a server on the defaults, SQLite and local disk in a new data
    /// directory, whatever store the harness tests otherwise.
    pub fn start_on_defaults() -> ServerProcess {
        Self::start_configured(DataDir::new(), &[], &[])
    }

    /// Starts a server exactly as told: its store comes from `flags` and
    /// `env` (e.g. `--database`, `MEDIAKIT_S3_ENDPOINT`), not from the
    /// harness's store kind.
    pub fn start_configured(data: DataDir, flags: &[&str], env: &[(&str, &str)]) -> ServerProcess {
        let mut child = Command::new(binary())
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--data"])
            .arg(data.path())
            .args(flags)
            .envs(env.iter().copied())
            // A mediakit.toml in the working directory must not leak in.
            .current_dir(data.path())
            .env(
                "MEDIAKIT_LOG",
                std::env::var("MEDIAKIT_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning mediakit serve");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Drain stdout for the life of the process so it never blocks.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut addr = None;
        let mut seen = Vec::new();
        while addr.is_none() {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("the server did not start; stdout so far: {seen:?}"));
            if let Some(rest) = line.split("listening on http://").nth(1) {
                addr = rest.split_whitespace().next().map(str::to_owned);
            }
            seen.push(line);
        }
        ServerProcess {
            child: Some(child),
            addr: addr.unwrap(),
            data: Some(data),
            stdout_lines: rx,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn data_dir(&self) -> &Path {
        self.data.as_ref().expect("data dir").path()
    }

    /// The Postgres database and S3 prefix (postgres+s3 backend only).
    pub fn store(&self) -> Option<&TestStore> {
        self.data.as_ref().and_then(DataDir::store)
    }

    /// The directory of the blobs when they are on local disk.
    pub fn local_blobs_dir(&self) -> Option<PathBuf> {
        self.data().local_blobs_dir()
    }

    /// Every blob key in the server's storage, read straight from the disk
    /// or the bucket (not through the server).
    pub fn blob_keys(&self) -> BTreeSet<String> {
        self.data().blob_keys()
    }

    /// Writes a blob behind the server's back (to simulate leftovers).
    pub fn put_blob(&self, key: &str, bytes: &[u8]) {
        self.data().put_blob(key, bytes)
    }

    pub fn blob_exists(&self, key: &str) -> bool {
        self.data().blob_exists(key)
    }

    fn data(&self) -> &DataDir {
        self.data.as_ref().expect("data dir")
    }

    /// The admin token written on first start.
    pub fn admin_token(&self) -> String {
        std::fs::read_to_string(self.data_dir().join("admin-token"))
            .expect("admin-token file")
            .trim()
            .to_owned()
    }

    /// Lines printed since start-up finished.
    pub fn drain_stdout(&self) -> Vec<String> {
        self.stdout_lines.try_iter().collect()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().expect("server already stopped");
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        child.wait().expect("waiting for the server")
    }

    /// Kills the server with SIGKILL (std's `Child::kill` on Unix: no
    /// signal handler runs, nothing is flushed or shut down, as in a crash
    /// or an OOM kill) and hands back its data directory for a restart.
    pub fn kill_keep_data(mut self) -> DataDir {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("sending SIGKILL to the server");
            child.wait().expect("waiting for the killed server");
        }
        self.data.take().expect("data dir")
    }

    /// Stops the server and hands back its data directory (for a restart).
    pub fn stop_keep_data(mut self) -> DataDir {
        if self.child.is_some() {
            self.terminate();
        }
        self.data.take().expect("data dir")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The package's directory, read when the test runs (cargo sets it) rather
/// than baked in at compile time: a build reused from a checkout elsewhere
/// (a shared target directory) must still read this checkout's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned())
}
