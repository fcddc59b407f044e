//! Hostile metadata inputs (filled in by the hardening work of issue 12).
