//! String enums that stay open: a value the server adds later decodes to
//! `Unknown(String)` and is shown as received, instead of failing the whole
//! response (progenitor's generated enums reject unknown strings).
//!
//! Which schemas are open is a fact of the spec (`x-open-enum: true`, read
//! by camb-codegen); so are their values (the build script generates an
//! `open_enum!` invocation for each), so they are written once.

/// Defines an open string enum with its serde, `Display` and `FromStr` impls.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the client does not know, as received.
            Unknown(String),
        }

        impl $name {
            /// Every value this version of the client knows, in spec order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(other) => other.as_str(),
                }
            }

            /// Whether this is a value the client does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown(other.to_owned()),
                })
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    Ok(value) => value,
                    Err(never) => match never {},
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <::std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok($name::from(s.as_ref()))
            }
        }

        /// Any string: the enum is open. The known values are examples.
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> String {
                stringify!($name).to_owned()
            }

            fn json_schema(_: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                let known: &[&str] = &[$($wire),*];
                let examples = known.iter().map(|&value| ::serde_json::Value::from(value)).collect();
                ::schemars::schema::SchemaObject {
                    instance_type: Some(::schemars::schema::InstanceType::String.into()),
                    metadata: Some(Box::new(::schemars::schema::Metadata {
                        examples,
                        ..Default::default()
                    })),
                    ..Default::default()
                }
                .into()
            }
        }
    };
}

// The open enums the spec marks, with the values the spec lists for them.
include!(concat!(env!("OUT_DIR"), "/open_enums.rs"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::OrchestratorPipelineResult;

    /// The `enum` list of component schema `name` in the spec the client is
    /// generated from.
    fn spec_values(name: &str) -> Vec<String> {
        let text = include_str!("../../spec/generated/openapi.json");
        let spec: serde_json::Value = serde_json::from_str(text).unwrap();
        let values = &spec["components"]["schemas"][name]["enum"];
        serde_json::from_value(values.clone()).unwrap()
    }

    #[test]
    fn every_value_of_the_spec_is_known_in_spec_order() {
        let statuses: Vec<&str> = TaskStatus::KNOWN.iter().map(TaskStatus::as_str).collect();
        assert_eq!(statuses, spec_values("TaskStatus"));
        let reasons: Vec<&str> = ExceptionReason::KNOWN
            .iter()
            .map(ExceptionReason::as_str)
            .collect();
        assert_eq!(reasons, spec_values("ExceptionReason"));
        assert!(!statuses.is_empty() && !reasons.is_empty());
    }

    #[test]
    fn known_values_round_trip() {
        for status in TaskStatus::KNOWN {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(&serde_json::from_str::<TaskStatus>(&json).unwrap(), status);
            assert!(!status.is_unknown());
        }
        for reason in ExceptionReason::KNOWN {
            assert_eq!(&reason.as_str().parse::<ExceptionReason>().unwrap(), reason);
        }
        assert_eq!(TaskStatus::Success.as_str(), "SUCCESS");
        assert_eq!(
            ExceptionReason::SourceTooLong.to_string(),
            "SOURCE_TOO_LONG"
        );
    }

    #[test]
    fn unknown_status_decodes_through_the_generated_type() {
        let body = r#"{"status":"CANCELLED","run_id":null}"#;
        let result: OrchestratorPipelineResult = serde_json::from_str(body).unwrap();
        let status = result.status.unwrap();
        assert_eq!(status, TaskStatus::Unknown("CANCELLED".into()));
        assert!(status.is_unknown());
        assert_eq!(status.to_string(), "CANCELLED");
        assert_eq!(serde_json::to_string(&status).unwrap(), r#""CANCELLED""#);
    }

    #[test]
    fn unknown_exception_reason_and_extra_fields_decode() {
        let body = r#"{"status":"ERROR","run_id":null,"exception_reason":"GREMLINS",
                       "message":{"detail":"x"},"new_field":[1,2]}"#;
        let result: OrchestratorPipelineResult = serde_json::from_str(body).unwrap();
        assert_eq!(result.status, Some(TaskStatus::Error));
        assert_eq!(
            result.exception_reason,
            Some(ExceptionReason::Unknown("GREMLINS".into()))
        );
        assert!(result.message.is_some());
    }
}
