//! Forged svg inputs.
