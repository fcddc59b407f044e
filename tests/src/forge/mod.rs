//! Forgers of hostile inputs: files and request bodies built byte by byte,
//! so the suite needs no stored attack files and each attack's size is a
//! parameter. One module per attack class.

pub mod decoders;
pub mod metadata;
pub mod svg;
