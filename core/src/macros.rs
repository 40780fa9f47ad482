//! The one macro behind every AWS request and response shape.

/// Declares structs whose JSON is an AWS API body: PascalCase fields,
/// unknown fields refused (a typo in a hand-written request is an error, not
/// a silently ignored field).
macro_rules! aws_shapes {
    ($( $(#[$doc:meta])* $name:ident { $( $(#[$fdoc:meta])* $field:ident : $ty:ty ),* $(,)? } )+) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
            #[serde(rename_all = "PascalCase", deny_unknown_fields)]
            pub struct $name {
                $( $(#[$fdoc])* pub $field: $ty, )*
            }
        )+
    };
}

/// The handler of each row of a service's action table: the service's
/// `handle`, which runs one of its requests. Invoked through the table
/// (`kms_table!([State,] handlers)`), so the rows are written once.
macro_rules! handlers {
    ([$state:ty, $service:ident { $( $variant:ident($action:literal, $shape:ty, $ro:literal, $example:literal, $handler:path, [$($keys:tt)*]) ),* $(,)? }]) => {
        /// Runs one of this service's requests.
        pub fn handle(
            state: &mut $state,
            ctx: &mut crate::env::Ctx<'_>,
            caller: &crate::principal::Caller,
            request: &crate::request::Request,
        ) -> Result<crate::request::Response, crate::error::KmsError> {
            match request {
                $( crate::request::Request::$variant(r) => $handler(state, ctx, caller, r), )*
                #[allow(unreachable_patterns)]
                other => Err(crate::error::KmsError::UnsupportedOperationException(alloc::format!(
                    "{} is not an action of {}",
                    other.action(),
                    stringify!($service)
                ))),
            }
        }
    };
}
