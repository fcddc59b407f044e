//! Core's SQL numbers its parameters `$1, $2, …` (see
//! `mediakit_core::catalog::Statement`).
//! SQLite reads `$1` as a *named* parameter, which D1's API does not
//! document: it binds ordered `?NNN` and anonymous `?` parameters only. So
//! the adapter rewrites `$N` to `?N` (same number, same meaning), leaving
//! string literals, quoted identifiers and comments untouched.

/// `$N` → `?N` outside quotes and comments.
pub fn to_d1(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // '…' literals, "…" identifiers and `…` identifiers: a doubled
            // quote is an escaped one, which this loop handles by leaving and
            // immediately re-entering the quoted state.
            '\'' | '"' | '`' => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                out.push(c);
                out.push(chars.next().unwrap_or('*'));
                let mut prev = '\0';
                for inner in chars.by_ref() {
                    out.push(inner);
                    if prev == '*' && inner == '/' {
                        break;
                    }
                    prev = inner;
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => out.push('?'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_parameters_become_ordered_ones() {
        assert_eq!(
            to_d1("UPDATE t SET a = $1, b = $2 WHERE id = $10"),
            "UPDATE t SET a = ?1, b = ?2 WHERE id = ?10"
        );
        assert_eq!(to_d1("SELECT 1"), "SELECT 1");
    }

    #[test]
    fn quotes_and_comments_are_left_alone() {
        assert_eq!(
            to_d1("SELECT '$1', \"$2\", `$3` FROM t WHERE a = $1 -- $9\nAND b LIKE $2 ESCAPE '\\'"),
            "SELECT '$1', \"$2\", `$3` FROM t WHERE a = ?1 -- $9\nAND b LIKE ?2 ESCAPE '\\'"
        );
        assert_eq!(
            to_d1("SELECT 'it''s $1' /* $2 */, $3"),
            "SELECT 'it''s $1' /* $2 */, ?3"
        );
        // A `$` not followed by a digit is not a parameter.
        assert_eq!(to_d1("SELECT $a, $"), "SELECT $a, $");
    }

    /// Every statement core produces converts to the same count of `?N`,
    /// numbered as before.
    #[test]
    fn every_core_statement_converts() {
        use mediakit_core::catalog::sql;
        use mediakit_core::conformance::catalog::sample_media;
        use mediakit_core::model::{ListQuery, MetadataUpdate};

        let media = sample_media(1);
        let update = MetadataUpdate {
            name: "n".into(),
            tags: vec!["a".into()],
            alt_text: None,
            credit: None,
            original_filename: "f.jpg".into(),
            focal_point: None,
        };
        let query = ListQuery {
            search: Some("50% off".into()),
            tag: Some("sea".into()),
            images_only: true,
            ..ListQuery::default()
        };
        let (page, count) = sql::list_media(&query);
        for st in [
            sql::insert_media(&media),
            sql::media_by_id("x"),
            sql::update_metadata("x", &update, 1),
            sql::set_deleted("x", Some(1), 1),
            sql::deleted_before(1, 2),
            page,
            count,
        ] {
            let converted = to_d1(&st.sql);
            assert!(!converted.contains('$'), "{converted}");
            let numbers: Vec<usize> = converted
                .split('?')
                .skip(1)
                .map(|rest| {
                    rest.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                        .parse()
                        .unwrap()
                })
                .collect();
            let expected: Vec<usize> = (1..=st.args.len()).collect();
            assert_eq!(numbers, expected, "{converted}");
        }
    }
}
