//! The harness's own promises, on whichever backend it runs: the checks
//! "no file was written" in other tests must be able to fail.

use mediakit_e2e::{Target, fixtures};

#[test]
fn data_files_sees_every_blob_an_upload_writes() {
    let t = Target::native(&[]);
    let before = t.data_files();
    let m = t.upload_ok("seen.png", &fixtures::read("photo-alpha.png"));
    let id = m["id"].as_str().unwrap();
    let after = t.data_files();
    let new: Vec<_> = after.difference(&before).collect();
    let variants = m["variants"].as_array().unwrap().len();
    assert!(variants > 0);
    assert_eq!(
        new.len(),
        1 + variants,
        "the original and each variant appear as new files: {new:?}"
    );
    assert!(
        new.iter()
            .all(|p| p.starts_with("blobs/media") && p.to_string_lossy().contains(id))
    );
    let server = t.native_only("looks at the store").unwrap();
    assert_eq!(
        server.blob_keys().len(),
        1 + variants,
        "blob_keys reads the storage directly"
    );
}
