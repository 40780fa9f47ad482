//! Routes an IAM or STS request to its handler (from the action table).

use super::actions::iam_table;

iam_table!([crate::iam::state::Iam,] handlers);
