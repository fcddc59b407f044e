//! Dedup: the same file uploaded twice is two media items that share the
//! stored files; purging one leaves the other whole, and a duplicate adds
//! next to nothing to storage.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mediakit_e2e::{Target, error_code, sha256_hex, skip_on_remote, unique};
use serde_json::Value;

/// A JPEG of noise, `width` × `height`, that no other run uploads (the
/// seed is this test's unique name): noise is what JPEG compresses least,
/// so its size is what a photo of many more pixels would be.
fn noise_jpeg(width: u32, height: u32, quality: u8) -> Vec<u8> {
    let seed = sha256_hex(unique("noise").as_bytes());
    let mut state = u64::from_str_radix(&seed[..16], 16).unwrap() | 1;
    let img = image::RgbImage::from_fn(width, height, |_, _| {
        // xorshift64: fast, and plenty random for a JPEG encoder.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let [r, g, b, ..] = state.to_le_bytes();
        image::Rgb([r, g, b])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .unwrap();
    out
}

/// Every file URL of an item: its original, then each variant.
fn paths(m: &Value) -> Vec<String> {
    std::iter::once(&m["path"])
        .chain(m["variants"].as_array().unwrap().iter().map(|v| &v["path"]))
        .map(|p| format!("/{}", p.as_str().unwrap()))
        .collect()
}

/// The bytes of each file of `m`; every one must be served.
fn served(t: &Target, m: &Value) -> Vec<Vec<u8>> {
    paths(m)
        .iter()
        .map(|p| {
            let res = t.get(p).send().unwrap();
            assert_eq!(res.status(), 200, "{p}");
            res.bytes().unwrap().to_vec()
        })
        .collect()
}

fn purge(t: &Target, id: &str) {
    let res = t.send_as_admin(t.delete(&format!("/api/v1/media/{id}?purge=true")));
    assert_eq!(res.status(), 204);
}

#[test]
fn the_same_file_twice_is_two_media_that_survive_each_others_purge() {
    let t = Target::start();
    let bytes = noise_jpeg(900, 600, 90);
    let before = t.data_files();
    let first = t.upload_ok(&format!("{}.jpg", unique("first")), &bytes);
    let blobs_of_one = t.new_blobs(&before);
    let second = t.upload_ok(&format!("{}.jpg", unique("second")), &bytes);
    let (a, b) = (
        first["id"].as_str().unwrap(),
        second["id"].as_str().unwrap(),
    );
    assert_ne!(a, b, "two media");
    assert_ne!(first["original_filename"], second["original_filename"]);
    assert_eq!(first["sha256"], second["sha256"]);
    assert_eq!(second["path"], format!("uploads/media/{b}.jpg"), "own URLs");
    assert_eq!(first["variants"].as_array().unwrap().len(), 2);
    if t.is_native() {
        assert_eq!(blobs_of_one.len(), 3);
        assert_eq!(t.new_blobs(&before), blobs_of_one, "no file for the second");
    }
    let files = served(&t, &first);
    assert_eq!(served(&t, &second), files, "the same bytes");
    assert_eq!(sha256_hex(&files[0]), second["sha256"].as_str().unwrap());

    // The first, whose upload stored the files, is deleted, then purged.
    assert_eq!(t.delete_media(a).status(), 204);
    assert_eq!(t.get(&paths(&first)[0]).send().unwrap().status(), 404);
    assert_eq!(served(&t, &second), files);
    purge(&t, a);
    assert_eq!(error_code(t.restore_media(a)), (404, "not_found".into()));
    assert_eq!(served(&t, &second), files, "the second keeps every file");
    if t.is_native() {
        assert_eq!(t.new_blobs(&before), blobs_of_one, "still on disk");
    }

    // The second goes through the trash and back, then is purged: now the
    // files go.
    assert_eq!(t.delete_media(b).status(), 204);
    assert_eq!(t.restore_media(b).status(), 200);
    assert_eq!(served(&t, &second), files);
    purge(&t, b);
    for p in paths(&second) {
        assert_eq!(t.get(&p).send().unwrap().status(), 404, "{p}");
    }
    if t.is_native() {
        assert!(t.new_blobs(&before).is_empty(), "the last user took them");
    }
}

/// Bytes of every file under `dir`.
fn bytes_under(dir: &Path) -> u64 {
    let files: BTreeSet<PathBuf> = mediakit_e2e::files_under(dir);
    files
        .iter()
        .map(|p| std::fs::metadata(dir.join(p)).map_or(0, |m| m.len()))
        .sum()
}

#[test]
fn a_duplicate_of_a_large_photo_adds_almost_nothing_to_storage() {
    if skip_on_remote("it measures the server's storage") {
        return;
    }
    let t = Target::start();
    let server = t.native_only("storage is measured on the server").unwrap();
    let bytes = noise_jpeg(2800, 2050, 85);
    let size = bytes.len() as u64;
    assert!(
        (8_500_000..10_000_000).contains(&size),
        "a photo of about 9 MB: {size} bytes"
    );
    let first = t.upload_ok("large.jpg", &bytes);
    // The measure: the whole data directory (database and blobs) natively,
    // and the bucket's keys on S3 (whose sizes the harness does not read).
    let data = server.data_dir().to_path_buf();
    let (disk, keys) = (bytes_under(&data), server.blob_keys());
    let second = t.upload_ok("large-again.jpg", &bytes);
    assert_ne!(first["id"], second["id"]);
    assert_eq!(server.blob_keys(), keys, "no new file");
    let growth = bytes_under(&data) - disk;
    eprintln!(
        "a duplicate of {size} bytes grew the data directory by {growth} bytes ({:.3} %)",
        growth as f64 * 100.0 / size as f64
    );
    assert!(
        growth * 20 < size,
        "a duplicate of {size} bytes added {growth} bytes (5 % is {})",
        size / 20
    );
    assert_eq!(served(&t, &second), served(&t, &first));
}
