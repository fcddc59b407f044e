//! What each hostile request costs a running server: sends every attack of
//! the hostile suite's forgers (`mediakit_e2e::forge`) once and prints a
//! Markdown table of its HTTP answer, wall time and the server's CPU time
//! (utime + stime of `/proc/<pid>/stat`, before and after). A benchmark,
//! not a test: nothing here is asserted. Run by `scripts/bench-hostile`,
//! which starts a release server for it:
//!
//!   bench_hostile --base http://127.0.0.1:PORT --token TOKEN --pid PID [FILTER]
//!
//! To add an attack, add a row to [`attacks`]: a name and a request
//! built by a forger (an upload, or any other request).

use std::time::{Duration, Instant};

use mediakit_e2e::forge::{metadata, svg};
use reqwest::blocking::{Client, RequestBuilder, multipart};

/// One hostile request.
struct Attack {
    name: &'static str,
    request: Request,
}

enum Request {
    /// `POST /api/v1/media/upload` of one file with these text fields.
    Upload {
        filename: &'static str,
        file: Vec<u8>,
        fields: Vec<metadata::Field>,
    },
}

fn upload(name: &'static str, filename: &'static str, file: Vec<u8>) -> Attack {
    with_fields(name, filename, file, Vec::new())
}

fn with_fields(
    name: &'static str,
    filename: &'static str,
    file: Vec<u8>,
    fields: Vec<metadata::Field>,
) -> Attack {
    Attack {
        name,
        request: Request::Upload {
            filename,
            file,
            fields,
        },
    }
}

/// A small valid file for the metadata attacks to travel with.
fn logo() -> Vec<u8> {
    mediakit_e2e::fixtures::read("logo.svg")
}

/// Every attack, in the order of the table.
fn attacks() -> Vec<Attack> {
    const MIB: usize = 1 << 20;
    vec![
        upload(
            "SVG: 1 MiB of `&` in one attribute",
            "a.svg",
            svg::svg_ampersand_flood(MIB),
        ),
        upload(
            "SVG: 1 MiB of valid `&amp;` (accepted)",
            "b.svg",
            svg::svg_amp_entities(MIB),
        ),
        upload(
            "SVG: 100,000 nested groups",
            "c.svg",
            svg::svg_deep_nesting(100_000),
        ),
        upload(
            "SVG: entity-padded javascript: link",
            "d.svg",
            svg::svg_char_ref_padded_js(),
        ),
        upload("SVG: external <image>", "e.svg", svg::svg_external_image()),
        upload(
            "SVG: CSS url() to another origin",
            "f.svg",
            svg::svg_css_url(),
        ),
        upload("SVG: escaped @import", "g.svg", svg::svg_import()),
        upload("SVG: DOCTYPE SYSTEM", "h.svg", svg::svg_doctype_system()),
        upload("SVG: billion laughs", "i.svg", svg::svg_billion_laughs(9)),
        with_fields(
            "tags: one field of 8,000 tags",
            "j.svg",
            logo(),
            metadata::tags_field(8000),
        ),
        with_fields(
            "metadata: 10 MB in one text field",
            "k.svg",
            logo(),
            metadata::huge_field(10_000_000),
        ),
        with_fields(
            "metadata: 10 MB as 160 tag fields of 64 KB",
            "l.svg",
            logo(),
            metadata::tag_fields_flood(160, 64_000),
        ),
        with_fields(
            "metadata: 10 MB as 80,000 tiny fields",
            "m.svg",
            logo(),
            metadata::many_fields(80_000),
        ),
    ]
}

struct Args {
    base: String,
    token: String,
    pid: u32,
    filter: Option<String>,
}

fn args() -> Args {
    let mut it = std::env::args().skip(1);
    let (mut base, mut token, mut pid, mut filter) = (None, None, None, None);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--base" => base = it.next(),
            "--token" => token = it.next(),
            "--pid" => pid = it.next().and_then(|p| p.parse().ok()),
            _ => filter = Some(a),
        }
    }
    let usage = "usage: bench_hostile --base URL --token TOKEN --pid PID [FILTER]";
    Args {
        base: base.expect(usage),
        token: token.expect(usage),
        pid: pid.expect(usage),
        filter,
    }
}

/// The server's CPU time so far (user + system, all its threads, live or
/// exited), from `/proc/<pid>/stat`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("the server runs");
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks() as f64)
}

fn clock_ticks() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

fn build(client: &Client, a: &Args, request: Request) -> RequestBuilder {
    match request {
        Request::Upload {
            filename,
            file,
            fields,
        } => {
            let mut form = multipart::Form::new()
                .part("file", multipart::Part::bytes(file).file_name(filename));
            for (k, v) in fields {
                form = form.text(k, v);
            }
            let url = format!("{}/api/v1/media/upload", a.base);
            client.post(url).bearer_auth(&a.token).multipart(form)
        }
    }
}

/// What a request carries: the file and the text fields (names and
/// values), without the multipart framing. reqwest streams a multipart
/// body, so it has no Content-Length to read before sending.
fn payload_size(request: &Request) -> String {
    match request {
        Request::Upload { file, fields, .. } => {
            human(file.len() + fields.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>())
        }
    }
}

fn human(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{b} B"),
    }
}

fn main() {
    let a = args();
    let client = Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap();
    println!("| attack | payload | HTTP | code | wall ms | server CPU ms |");
    println!("|---|---|---|---|---|---|");
    for attack in attacks() {
        if a.filter
            .as_deref()
            .is_some_and(|f| !attack.name.contains(f))
        {
            continue;
        }
        let size = payload_size(&attack.request);
        let request = build(&client, &a, attack.request).build().unwrap();
        let cpu_before = cpu_time(a.pid);
        let started = Instant::now();
        let (status, code) = match client.execute(request) {
            Ok(res) => {
                let status = res.status().as_u16().to_string();
                let body: serde_json::Value = res.json().unwrap_or_default();
                let code = body["error"]["code"].as_str().unwrap_or("-").to_owned();
                (status, code)
            }
            Err(e) => (format!("error: {e}"), "-".to_owned()),
        };
        let wall = started.elapsed();
        let cpu = cpu_time(a.pid).saturating_sub(cpu_before);
        println!(
            "| {} | {} | {status} | {code} | {:.0} | {:.0} |",
            attack.name,
            size,
            wall.as_secs_f64() * 1000.0,
            cpu.as_secs_f64() * 1000.0
        );
    }
}
