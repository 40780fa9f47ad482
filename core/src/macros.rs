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
