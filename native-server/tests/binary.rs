//! The `mediakit` binary as an operator starts it: `--log-format json`
//! and `--metrics-listen`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};

/// A running server, stopped (and reaped) when dropped, also when a test
/// fails half-way.
struct Server(Child);

impl Server {
    /// Stops it; what it wrote to stderr.
    fn stop(mut self) -> String {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.0.stderr.take() {
            pipe.read_to_string(&mut stderr).unwrap();
        }
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `mediakit <args> serve --listen 127.0.0.1:0 --data <tmp> <serve_args>`,
/// and its stdout's lines up to the one saying where it listens.
fn start(args: &[&str], serve_args: &[&str], data: &std::path::Path) -> (Server, Vec<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_mediakit"))
        .args(args)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(serve_args)
        .arg("--data")
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut stdout: BufReader<ChildStdout> = BufReader::new(server.0.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "exited early: {lines:?}"
        );
        let done = line.contains("listening on");
        lines.push(line);
        if done {
            return (server, lines);
        }
    }
}

#[test]
fn json_logs_are_one_object_per_line() {
    let data = tempfile::tempdir().unwrap();
    let (mut server, _) = start(&["--log-format", "json"], &[], data.path());
    // Its log says it listens a moment after stdout does: read up to there.
    let mut stderr = BufReader::new(server.0.stderr.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "log ended: {lines:?}"
        );
        let v: serde_json::Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            v["level"].is_string() && v["fields"]["message"].is_string(),
            "{line}"
        );
        let listening = v["fields"]["message"] == "listening";
        lines.push(line);
        if listening {
            break;
        }
    }
}

#[test]
fn metrics_listen_serves_metrics_alone_without_a_token() {
    let data = tempfile::tempdir().unwrap();
    let (server, lines) = start(&[], &["--metrics-listen", "127.0.0.1:0"], data.path());
    let addr = lines
        .iter()
        .find_map(|l| {
            l.strip_prefix("metrics at http://")?
                .strip_suffix("/metrics\n")
        })
        .unwrap_or_else(|| panic!("no metrics address in {lines:?}"))
        .to_owned();
    let get = |path: &str| {
        let mut tcp = TcpStream::connect(&addr).unwrap();
        write!(
            tcp,
            "GET {path} HTTP/1.1\r\nHost: metrics\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).unwrap();
        answer
    };
    let metrics = get("/metrics");
    let api = get("/api/v1/media");
    server.stop();
    assert!(metrics.starts_with("HTTP/1.1 200"), "{metrics}");
    assert!(
        metrics.contains("mediakit_memory_budget_bytes "),
        "{metrics}"
    );
    assert!(api.starts_with("HTTP/1.1 404"), "{api}");
}
