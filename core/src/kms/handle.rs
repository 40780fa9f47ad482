//! Routes a KMS request to its handler (from the action table).

use super::actions::kms_table;

kms_table!([crate::kms::call::Keys<'_>,] handlers);
