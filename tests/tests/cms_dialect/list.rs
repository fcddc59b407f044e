//! `GET /media`: order, pages and counts.

use super::support::*;
use mediakit_e2e::{Target, unique};
use serde_json::json;

#[test]
fn listing_orders_pages_and_counts() {
    let t = Target::start();
    let tag = unique("page");
    let added: Vec<i64> = (0..4)
        .map(|i| add_ok(&t, &format!("{tag}-{i}"), json!(tag)))
        .collect();
    let q = format!("search={tag}");

    let all = list(&t, &q);
    assert_eq!(
        ids(&all),
        added.iter().rev().copied().collect::<Vec<_>>(),
        "added-desc by default"
    );
    assert_eq!(span(&all), (Some(4), Some(1), Some(4)));
    let asc = list(&t, &format!("{q}&order=added-asc"));
    assert_eq!(ids(&asc), added);
    let desc = list(&t, &format!("{q}&order=added-desc"));
    assert_eq!(ids(&desc), ids(&all));

    let page = list(&t, &format!("{q}&order=added-asc&limit=2&offset=1"));
    assert_eq!(ids(&page), added[1..3]);
    assert_eq!(span(&page), (Some(4), Some(2), Some(3)));
    let tail = list(&t, &format!("{q}&order=added-asc&limit=20&offset=3"));
    assert_eq!(ids(&tail), added[3..]);
    assert_eq!(
        (tail["from"].as_u64(), tail["to"].as_u64()),
        (Some(4), Some(4))
    );
    let past = list(&t, &format!("{q}&offset=10"));
    assert!(ids(&past).is_empty());
    assert_eq!(
        (
            past["max"].as_u64(),
            past["from"].as_u64(),
            past["to"].as_u64()
        ),
        (Some(4), Some(11), Some(10)),
        "an empty window has to = from - 1"
    );
    let none = list(&t, &format!("{q}&limit=0"));
    assert!(ids(&none).is_empty());
    assert_eq!(none["max"], 4);
    let big = list(&t, &format!("{q}&limit=9007199254740991"));
    assert_eq!(
        ids(&big).len(),
        4,
        "the seed's default, Number.MAX_SAFE_INTEGER"
    );
}
