//! String enums that stay open: a value the server adds later decodes to
//! `Unknown(String)` and is shown as received, instead of failing the whole
//! response (progenitor's generated enums reject unknown strings).

/// Defines an open string enum with its serde, `Display` and `FromStr` impls.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the client does not know, as received.
            Unknown(String),
        }

        impl $name {
            /// Every value this version of the client knows, in spec order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
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
                    $( $wire => $name::$variant, )+
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
                let examples = [$($wire),+].into_iter().map(::serde_json::Value::from).collect();
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

open_enum! {
    /// State of a dubbing task, as reported by `GET /dub/{task_id}`.
    ///
    /// `PENDING` is the only state the server documents as non-terminal; a
    /// value this client does not know is `Unknown` and may be a new
    /// intermediate state.
    pub enum TaskStatus {
        /// Finished; `run_id` is set and the result can be fetched.
        Success = "SUCCESS",
        /// Still processing: keep polling.
        Pending = "PENDING",
        /// Processing exceeded the server's time limit: split the input.
        Timeout = "TIMEOUT",
        /// Processing failed; see `exception_reason` and `message`.
        Error = "ERROR",
        /// Not enough credits on the account.
        PaymentRequired = "PAYMENT_REQUIRED",
    }
}

impl TaskStatus {
    /// Whether the task will not change state any more.
    ///
    /// Unknown values are not terminal: a wait keeps going on them.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskStatus::Success
                | TaskStatus::Timeout
                | TaskStatus::Error
                | TaskStatus::PaymentRequired
        )
    }
}

open_enum! {
    /// Why a task ended in `ERROR` (values known to the official SDKs).
    pub enum ExceptionReason {
        /// The source contains harmful content.
        HarmfulContentDetected = "HARMFUL_CONTENT_DETECTED",
        /// Voice conversion failed.
        VoiceConversionError = "VOICE_CONVERSION_ERROR",
        /// A generic processing failure.
        ProcessingError = "PROCESSING_ERROR",
        /// The source is too long.
        SourceTooLong = "SOURCE_TOO_LONG",
        /// The source file is too large.
        SourceTooLarge = "SOURCE_TOO_LARGE",
        /// The source media type is not supported.
        SourceTypeNotSupported = "SOURCE_TYPE_NOT_SUPPORTED",
        /// The source could not be downloaded.
        ErrorDownloadingSource = "ERROR_DOWNLOADING_SOURCE",
        /// Google Drive throttled the download.
        TooManyGdriveRequests = "TOO_MANY_GDRIVE_REQUESTS",
        /// The source is blocked in the server's region.
        SourceBlockedInRegion = "SOURCE_BLOCKED_IN_REGION",
        /// The source is age-restricted.
        SourceIsAgeRestricted = "SOURCE_IS_AGE_RESTRICTED",
        /// The source was not found.
        SourceNotFound = "SOURCE_NOT_FOUND",
        /// The source codec does not match its container.
        MismatchedSourceCodec = "MISMATCHED_SOURCE_CODEC",
        /// The content does not match the file extension.
        ContentDoesNotMatchExtension = "CONTENT_DOES_NOT_MATCH_EXTENSION",
        /// The source data is invalid.
        InvalidSourceData = "INVALID_SOURCE_DATA",
        /// The video has no audio stream.
        VideoDoesNotHaveAudioStreams = "VIDEO_DOES_NOT_HAVE_AUDIO_STREAMS",
        /// Mastering levels are out of range.
        MasteringOutOfRange = "MASTERING_OUT_OF_RANGE",
        /// The selected audio tracks are invalid.
        InvalidAudioTracksSelection = "INVALID_AUDIO_TRACKS_SELECTION",
        /// Not enough credits.
        PaymentRequired = "PAYMENT_REQUIRED",
        /// The account may not do this.
        Forbidden = "FORBIDDEN",
        /// An internal server error.
        InternalError = "INTERNAL_ERROR",
        /// No reason given.
        None = "NONE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::OrchestratorPipelineResult;

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
    }

    #[test]
    fn unknown_status_decodes_through_the_generated_type() {
        let body = r#"{"status":"CANCELLED","run_id":null}"#;
        let result: OrchestratorPipelineResult = serde_json::from_str(body).unwrap();
        let status = result.status.unwrap();
        assert_eq!(status, TaskStatus::Unknown("CANCELLED".into()));
        assert!(!status.is_terminal());
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

    #[test]
    fn terminal_states() {
        assert!(!TaskStatus::Pending.is_terminal());
        assert!(TaskStatus::Success.is_terminal());
        assert!(TaskStatus::Timeout.is_terminal());
        assert!(TaskStatus::Error.is_terminal());
        assert!(TaskStatus::PaymentRequired.is_terminal());
    }
}
