//! Replays every committed corpus file (fuzz/corpus/<target>/) and crash
//! regression (fuzz/regressions/<target>/) through its target, on stable:
//! what fuzzing once found or reached keeps working. Every crash found is
//! fixed before its input is committed, so nothing here is skipped.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use mediakit_fuzz_targets::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(&manifest_dir()).join("../fuzz")
}

/// The files directly in `dir` (not in its subfolders), sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every file of the given folders of each target; the failures,
/// each with its file and message.
fn replay(folders: &[&str]) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut failures = Vec::new();
    for (name, target) in TARGETS {
        for folder in folders {
            for file in files(&fuzz_dir().join(folder.replace("{}", name))) {
                let data = std::fs::read(&file).expect("reading a corpus file");
                count += 1;
                if let Err(panic) = catch_unwind(AssertUnwindSafe(|| target(&data))) {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default();
                    failures.push(format!("{}: {message}", file.display()));
                }
            }
        }
    }
    (count, failures)
}

#[test]
fn corpora_and_fixed_regressions_replay_cleanly() {
    let (count, failures) = replay(&["corpus/{}", "regressions/{}"]);
    assert!(
        failures.is_empty(),
        "{} of {count} inputs fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every target has a seed corpus: an empty folder would make this test
    // pass without testing anything.
    for (name, _) in TARGETS {
        let corpus = fuzz_dir().join("corpus").join(name);
        assert!(
            !files(&corpus).is_empty(),
            "{} has no corpus",
            corpus.display()
        );
    }
}

#[test]
fn every_target_has_a_cargo_fuzz_target() {
    for (name, _) in TARGETS {
        let source = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        assert!(
            text.contains(&format!("mediakit_fuzz_targets::{name}(")),
            "{} does not call its target",
            source.display()
        );
    }
}

/// The package's directory, read when the test runs (cargo sets it) rather
/// than baked in at compile time: a build reused from a checkout elsewhere
/// (a shared target directory) must still read this checkout's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned())
}
