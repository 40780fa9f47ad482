//! Routes an RDS request to its handler (from the action table).

use super::actions::rds_table;

rds_table!([crate::services::rds::call::RdsCall<'_>,] handlers);
