//! Forged metadata: the text fields that come with an upload, as
//! `(name, value)` multipart text fields. The hostile suite
//! (tests/tests/hostile/metadata.rs) asserts each flood is refused; the
//! benchmark (tests/examples/bench_hostile.rs) times them.

/// A text field.
pub type Field = (String, String);

/// `n` distinct tags, comma-separated: `t0,t1,…`. The old rule compared
/// every tag with all kept so far before counting them (8,000 took 1.8 s).
pub fn tags_flood(n: usize) -> String {
    let mut out = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("t{i}"));
    }
    out
}

/// The same tag `n` times: one tag after deduplication, `n` as sent.
pub fn tags_repeated(n: usize) -> String {
    vec!["same"; n].join(",")
}

/// One `tags` field holding [`tags_flood`]`(n)`.
pub fn tags_field(n: usize) -> Vec<Field> {
    vec![("tags".to_owned(), tags_flood(n))]
}

/// `fields` `tags` fields of about `bytes_each` bytes of distinct tags
/// each: a flood of every field just under the per-field size limit.
pub fn tag_fields_flood(fields: usize, bytes_each: usize) -> Vec<Field> {
    (0..fields)
        .map(|f| {
            let mut value = String::with_capacity(bytes_each + 16);
            let mut i = 0;
            while value.len() < bytes_each {
                value.push_str(&format!("f{f}t{i},"));
                i += 1;
            }
            ("tags".to_owned(), value)
        })
        .collect()
}

/// One text field (`name`) of `bytes` bytes.
pub fn huge_field(bytes: usize) -> Vec<Field> {
    vec![("name".to_owned(), "x".repeat(bytes))]
}

/// `n` small fields with names the server does not know (browsers add
/// their own fields, so unknown ones are read and ignored).
pub fn many_fields(n: usize) -> Vec<Field> {
    (0..n)
        .map(|i| (format!("note{i}"), "x".to_owned()))
        .collect()
}
