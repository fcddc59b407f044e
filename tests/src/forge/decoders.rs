//! Forged decoders inputs.
