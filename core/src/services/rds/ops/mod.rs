//! RDS's operations, one file per family.

pub mod clusters;
pub mod data;
pub mod snapshots;
