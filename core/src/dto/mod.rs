//! Wire shapes (DTOs) of the API dialects, shared by every frontend.

pub mod cms;
pub mod error;
pub mod rest;
pub mod rpc;
