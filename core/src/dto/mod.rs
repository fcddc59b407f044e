//! Wire shapes (DTOs) of the API dialects, shared by every frontend.

pub mod error;
pub mod rest;
