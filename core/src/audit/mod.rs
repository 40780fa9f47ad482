//! The audit trail: one CloudTrail-shaped event for every call, allowed or
//! refused, successful or failed, and for what AWS does by itself (deleting
//! a key at the end of its waiting period, rotating key material).

pub mod record;
pub mod trail;

pub use trail::*;
