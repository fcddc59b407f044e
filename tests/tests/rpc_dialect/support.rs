//! Helpers shared by this suite's modules: the crate's RPC calls, a photo
//! to call them on, and the clock the timestamps are checked against.

pub use mediakit_e2e::rpc::*;
use mediakit_e2e::{Target, fixtures, unique};

/// Uploads the 800 px photo as `<unique(prefix)>.jpg`; its media id.
pub fn upload_photo(t: &Target, prefix: &str) -> String {
    upload_one(
        t,
        &format!("{}.jpg", unique(prefix)),
        &fixtures::read("photo-seeding-800.jpg"),
    )
}

pub fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}
