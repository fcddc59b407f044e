//! PDF: sniffed by its `%PDF-` header, stored as sent.

use crate::format::{Format, Parse, nothing_declared};

pub(crate) const FORMAT: Format = Format {
    name: "PDF",
    mime_type: "application/pdf",
    extensions: &["pdf"],
    sniff: |b| b.starts_with(b"%PDF-"),
    parse: Parse::Stored(nothing_declared),
};
