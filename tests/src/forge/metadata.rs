//! Forged metadata inputs.
