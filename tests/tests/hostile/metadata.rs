//! Hostile metadata: floods of tags and text fields beside an upload. Each
//! is refused with a 400 and a stable code, nothing is stored; counts are
//! checked before any per-item work (the benchmark shows what that costs).

use mediakit_e2e::forge::metadata::*;
use mediakit_e2e::{Target, fixtures, unique};

/// Uploads the logo under a unique name with these text fields and
/// asserts the refusal.
fn assert_fields_refused(t: &Target, code: &str, what: &str, fields: &[Field]) {
    let name = format!("{}.svg", unique(what));
    let logo = fixtures::read("logo.svg");
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    t.assert_refused(400, code, &name, || {
        t.upload_with(&t.admin_token, &name, &logo, &fields)
    });
}

#[test]
fn a_field_of_thousands_of_tags_is_refused_by_count() {
    let t = Target::start();
    assert_fields_refused(&t, "invalid_tags", "tag-flood", &tags_field(8000));
}

#[test]
fn tags_are_counted_as_sent_not_after_deduplication() {
    let t = Target::start();
    // One tag after deduplication, 8,000 as sent: counting after the
    // deduplication (as before) stored this.
    let fields = vec![("tags".to_owned(), tags_repeated(8000))];
    assert_fields_refused(&t, "invalid_tags", "tag-repeat", &fields);
}

#[test]
fn many_tag_fields_are_refused_before_they_are_compared() {
    let t = Target::start();
    // 60 fields of 60 KiB (about 600,000 distinct tags): each under the
    // field limit; deduplicating them pairwise (as before) never ended.
    assert_fields_refused(
        &t,
        "invalid_tags",
        "tag-fields",
        &tag_fields_flood(60, 60 * 1024),
    );
}

#[test]
fn a_huge_text_field_is_refused() {
    let t = Target::start();
    assert_fields_refused(&t, "invalid_request", "huge-field", &huge_field(10_000_000));
}

#[test]
fn thousands_of_fields_are_refused_by_count() {
    let t = Target::start();
    // Unknown fields are read and ignored; before the part limit, 10,000
    // of them were all read and the file stored.
    assert_fields_refused(&t, "invalid_request", "many-fields", &many_fields(10_000));
}
