//! Helpers shared by this suite's modules.

use serde_json::Value;

pub fn is_rfc3339(s: &Value) -> bool {
    s.as_str()
        .is_some_and(|s| s.len() >= 20 && s.ends_with('Z') && &s[10..11] == "T")
}
