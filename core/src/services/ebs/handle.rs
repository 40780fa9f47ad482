//! Routes an EBS request to its handler (from the action table).

use super::actions::ebs_table;

ebs_table!([crate::services::ebs::ops::EbsCall<'_>,] handlers);
