//! String enums that stay open: a value the server adds later decodes to
//! `Unknown(String)` and is shown as received, instead of failing the whole
//! response (progenitor's generated enums reject unknown strings).
//!
//! Which schemas are open is a fact of the spec (`x-open-enum: true`, read
//! by camb-codegen); so are their values (the build script generates an
//! `open_enum!` invocation for each), so they are written once.

/// Defines an open string enum with its serde, `Display` and `FromStr` impls.
// Unused when the spec marks no schema open (regen compiles such specs too).
#[allow(unused_macros)]
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

    /// The spec the client is generated from.
    fn spec() -> serde_json::Value {
        let text = include_str!("../../spec/generated/openapi.json");
        serde_json::from_str(text).unwrap()
    }

    /// The values of the open enum schema `name`: its `enum` list, or the
    /// lists of the schemas its `anyOf` joins.
    fn spec_values(spec: &serde_json::Value, name: &str) -> Vec<String> {
        let schema = &spec["components"]["schemas"][name];
        match schema["anyOf"].as_array() {
            Some(members) => members
                .iter()
                .flat_map(|member| {
                    let reference = member["$ref"].as_str().unwrap();
                    spec_values(spec, reference.rsplit('/').next().unwrap())
                })
                .collect(),
            None => serde_json::from_value(schema["enum"].clone()).unwrap(),
        }
    }

    /// Each open enum of this crate with its known values (as sent) and
    /// what an unknown value becomes, round-tripped through JSON.
    macro_rules! open_enums {
        ($($name:ident),* $(,)?) => {
            vec![$((
                stringify!($name),
                $name::KNOWN.iter().map($name::as_str).collect::<Vec<_>>(),
                {
                    let json = r#""SOMETHING_NEW""#;
                    let decoded: $name = serde_json::from_str(json).unwrap();
                    assert!(decoded.is_unknown(), "{}", stringify!($name));
                    serde_json::to_string(&decoded).unwrap()
                },
            )),*]
        };
    }

    /// Every open enum; a schema the spec marks open but this list lacks
    /// fails `every_open_enum_of_the_spec_knows_its_values_in_spec_order`.
    fn open_enums() -> Vec<(&'static str, Vec<&'static str>, String)> {
        open_enums![
            TaskStatus,
            ExceptionReason,
            TranscriptFileFormat,
            TranscriptDataType,
            AltFormatOutputFormat,
            AudioOutputType,
            VideoOutputTypeWithoutAvi,
            TextToAudioType,
            DemixingOption,
            SegmentingOption,
            TranscribingOption,
            TranslatingOption,
            RevoicingOption,
            SpeechModel,
            OutputFormat,
        ]
    }

    #[test]
    fn every_open_enum_of_the_spec_knows_its_values_in_spec_order() {
        let spec = spec();
        let marked: Vec<&str> = spec["components"]["schemas"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, schema)| schema["x-open-enum"] == true)
            .map(|(name, _)| name.as_str())
            .collect();
        let mut listed: Vec<&str> = open_enums().iter().map(|(name, ..)| *name).collect();
        listed.sort_unstable();
        assert_eq!(listed, marked, "the open enums here and in the spec");
        for (name, known, round_tripped) in open_enums() {
            assert_eq!(known, spec_values(&spec, name), "{name}");
            assert!(!known.is_empty(), "{name}");
            assert_eq!(round_tripped, r#""SOMETHING_NEW""#, "{name}");
        }
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
