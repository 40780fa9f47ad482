//! Routes a Parameter Store request to its handler (from the action table).

use super::actions::ssm_table;

ssm_table!([crate::services::ssm::ops::SsmCall<'_>,] handlers);
