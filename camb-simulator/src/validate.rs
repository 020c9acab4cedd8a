//! Request validation as FastAPI and Pydantic v2 (lax mode) do it, so that
//! every `422` reads like the real API's: all problems at once, each with
//! its `type`, `loc` (`["body", "voice_settings", "speaking_rate"]`), `msg`
//! and `input` as Pydantic writes them (FastAPI 0.165, Pydantic 2.14); and
//! the helpers the spec-driven check ([`crate::check`]) shares.
//!
//! Only what the speech routes still check by hand need (every other route
//! is checked against the spec's schemas): integers, strings, booleans,
//! literals, objects and models of those.

use serde_json::{Map, Value, json};

use crate::http::Form;

/// What a value must be.
#[derive(Debug)]
pub(crate) enum Kind {
    /// `int` (also a whole float, a boolean, or a string holding an integer).
    Int,
    /// `str`.
    Str,
    /// `bool` (also 0/1 and words like `yes`/`off`).
    Bool,
    /// `Literal[...]` of strings.
    Literal(&'static [&'static str]),
    /// A model given by its name (Pydantic names it in `loc` when it is one
    /// branch of a union) or any JSON object (`dict[str, Any]`): any object.
    ModelOrDict(&'static str),
    /// A model: its fields in declaration order (Pydantic's error order).
    Model(&'static [Field]),
    /// An `UploadFile` form field: a file part (see [`form()`]).
    File,
}

/// A field of a model.
#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// Required fields report `missing`.
    pub(crate) required: bool,
    /// Whether `null` is allowed (`X | None`).
    nullable: bool,
}

impl Field {
    /// A required field.
    pub(crate) const fn required(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            required: true,
            nullable: false,
        }
    }

    /// An optional field, `null` allowed (`X | None = None`).
    pub(crate) const fn optional(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            required: false,
            nullable: true,
        }
    }
}

/// One part of a `loc`: a name or a list index.
pub(crate) type Loc = Vec<Value>;

/// The problems found, in Pydantic's JSON form.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<Value>);

impl Problems {
    /// Whether nothing was wrong.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds `other`'s problems after these.
    pub(crate) fn append(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// Orders the problems by the field of `model` each is about (its
    /// `loc`'s second part), keeping the order within a field: Pydantic's
    /// order when some were found apart from the others.
    pub(crate) fn order_by_field(&mut self, model: &[Field]) {
        let position = |problem: &Value| {
            let field = problem["loc"][1].as_str();
            model
                .iter()
                .position(|known| Some(known.name) == field)
                .unwrap_or(model.len())
        };
        self.0.sort_by_key(position);
    }

    /// The `detail` list of a `422`.
    pub(crate) fn into_detail(self) -> Vec<Value> {
        self.0
    }

    /// Records one problem.
    pub(crate) fn push(&mut self, kind: &str, loc: &[Value], msg: &str, input: &Value) {
        self.0
            .push(json!({ "type": kind, "loc": loc, "msg": msg, "input": input }));
    }

    /// Records a problem already in Pydantic's JSON form.
    pub(crate) fn push_value(&mut self, problem: Value) {
        self.0.push(problem);
    }

    /// Records one problem with its `ctx`.
    pub(crate) fn push_with_ctx(
        &mut self,
        kind: &str,
        loc: &[Value],
        msg: &str,
        input: &Value,
        ctx: Value,
    ) {
        self.0
            .push(json!({ "type": kind, "loc": loc, "msg": msg, "input": input, "ctx": ctx }));
    }

    /// Checks `value` against `kind` at `loc`.
    pub(crate) fn check(&mut self, value: &Value, kind: &Kind, loc: &mut Loc) {
        match kind {
            Kind::Int => {
                if let Some((code, msg)) = int_problem(value) {
                    self.push(code, loc, msg, value);
                }
            }
            Kind::Str => {
                if !value.is_string() {
                    self.push("string_type", loc, "Input should be a valid string", value);
                }
            }
            Kind::Bool => {
                if let Some((code, msg)) = bool_problem(value) {
                    self.push(code, loc, msg, value);
                }
            }
            Kind::Literal(allowed) => {
                if !value.as_str().is_some_and(|text| allowed.contains(&text)) {
                    let expected = one_of(allowed);
                    self.push_with_ctx(
                        "literal_error",
                        loc,
                        &format!("Input should be {expected}"),
                        value,
                        json!({ "expected": expected }),
                    );
                }
            }
            Kind::ModelOrDict(model) => {
                if !value.is_object() {
                    loc.push((*model).into());
                    self.push(
                        "model_attributes_type",
                        loc,
                        "Input should be a valid dictionary or object to extract fields from",
                        value,
                    );
                    loc.pop();
                    loc.push("dict[str,any]".into());
                    self.push(
                        "dict_type",
                        loc,
                        "Input should be a valid dictionary",
                        value,
                    );
                    loc.pop();
                }
            }
            Kind::File => {
                if value != &UPLOADED {
                    self.push(
                        "value_error",
                        loc,
                        "Value error, Expected UploadFile, received: <class 'str'>",
                        value,
                    );
                }
            }
            Kind::Model(fields) => match value.as_object() {
                Some(object) => self.check_fields(object, value, fields, loc),
                None => self.push(
                    "model_attributes_type",
                    loc,
                    "Input should be a valid dictionary or object to extract fields from",
                    value,
                ),
            },
        }
    }

    fn check_fields(
        &mut self,
        object: &Map<String, Value>,
        whole: &Value,
        fields: &[Field],
        loc: &mut Loc,
    ) {
        for field in fields {
            loc.push(field.name.into());
            match object.get(field.name) {
                None if field.required => self.push("missing", loc, "Field required", whole),
                None => {}
                Some(Value::Null) if field.nullable => {}
                Some(value) => self.check(value, &field.kind, loc),
            }
            loc.pop();
        }
    }
}

/// Checks a JSON request body against a model: `json_invalid` for bytes
/// that are no JSON, `missing` for no body, else each field. The problems
/// of the path and query come first, as FastAPI lists them.
pub(crate) fn body(
    mut problems: Problems,
    bytes: &[u8],
    model: &'static [Field],
) -> Result<Value, Problems> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        problems.push("missing", &["body".into()], "Field required", &Value::Null);
        return Err(problems);
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(error) => {
            problems.push_with_ctx(
                "json_invalid",
                &["body".into(), error_offset(bytes, &error).into()],
                "JSON decode error",
                &json!({}),
                json!({ "error": "Expecting value" }),
            );
            return Err(problems);
        }
    };
    problems.check(&value, &Kind::Model(model), &mut vec!["body".into()]);
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(problems)
    }
}

/// How [`form`] marks a file part (a text part is always a string).
const UPLOADED: Value = Value::Bool(true);

/// Checks a `multipart/form-data` body (`None`: no form at all) against a
/// model of `Form(...)` and `File(...)` fields, as FastAPI does: each text
/// part is read as a string (so `"7"` is an `int`, `"yes"` a `bool`), an
/// empty one counts as not sent, and the problems of the path and query
/// come first. Answers the text fields that are set.
pub(crate) fn form(
    mut problems: Problems,
    form: Option<&Form>,
    model: &'static [Field],
) -> Result<Map<String, Value>, Problems> {
    let mut object = Map::new();
    for field in model {
        let value = match (&field.kind, form) {
            (_, None) => None,
            (Kind::File, Some(form)) => form
                .file(field.name)
                .map(|_| UPLOADED)
                .or_else(|| form.text(field.name).map(Value::String)),
            (_, Some(form)) => form.text(field.name).map(Value::String),
        };
        if let Some(value) = value.filter(|value| value != &Value::String(String::new())) {
            object.insert(field.name.to_owned(), value);
        }
    }
    let whole = Value::Null;
    problems.check_fields(&object, &whole, model, &mut vec!["body".into()]);
    if problems.is_empty() {
        object.retain(|_, value| value != &UPLOADED);
        Ok(object)
    } else {
        Err(problems)
    }
}

/// The problems of an optional integer query parameter (`run_id`, `limit`).
pub(crate) fn int_query(problems: &mut Problems, raw: Option<&str>, name: &str) -> Option<IntText> {
    raw.and_then(|raw| int_text(problems, raw, ["query", name]))
}

/// An integer path or query value, as Pydantic reads one from text
/// (`int_parsing` otherwise). Integers of any size are integers.
pub(crate) fn int_text(problems: &mut Problems, raw: &str, loc: [&str; 2]) -> Option<IntText> {
    let parsed = parse_int_text(raw);
    if parsed.is_none() {
        problems.push(
            "int_parsing",
            &[loc[0].into(), loc[1].into()],
            "Input should be a valid integer, unable to parse string as an integer",
            &Value::String(raw.to_owned()),
        );
    }
    parsed
}

/// An integer read from text: small enough for an `i64`, or not (then no
/// run or task of the simulator has it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IntText {
    Fits(i64),
    TooBig,
}

impl IntText {
    /// The value, when it fits an `i64`.
    pub(crate) fn fits(self) -> Option<i64> {
        match self {
            IntText::Fits(value) => Some(value),
            IntText::TooBig => None,
        }
    }
}

/// Whether Pydantic reads `raw` as an integer.
pub(crate) fn is_int_text(raw: &str) -> bool {
    parse_int_text(raw).is_some()
}

/// Pydantic's `str` to `int`: surrounding whitespace, a sign, digits with
/// single `_` between them, and a fraction of zeros (`"1.0"`) are allowed.
fn parse_int_text(raw: &str) -> Option<IntText> {
    let text = raw.trim();
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits_ok = !whole.is_empty()
        && !whole.starts_with('_')
        && !whole.ends_with('_')
        && !whole.contains("__")
        && whole.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let fraction_ok = fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b == b'0'));
    if !digits_ok || !fraction_ok {
        return None;
    }
    let digits: String = whole.chars().filter(|c| *c != '_').collect();
    let signed = if text.starts_with('-') {
        format!("-{digits}")
    } else {
        digits
    };
    Some(signed.parse().map_or(IntText::TooBig, IntText::Fits))
}

/// The integer a checked `int` value stands for (a number, a boolean or a
/// string holding an integer, see [`Kind::Int`]), when it fits an `i64`.
pub(crate) fn whole_number(value: &Value) -> Option<i64> {
    match value {
        Value::Bool(flag) => Some(i64::from(*flag)),
        Value::Number(number) => number.as_i64().or_else(|| {
            let float = number.as_f64()?;
            (float.fract() == 0.0 && float.abs() < 9.2e18).then_some(float as i64)
        }),
        Value::String(text) => parse_int_text(text).and_then(IntText::fits),
        _ => None,
    }
}

/// Why a JSON value is no `int` for Pydantic (lax mode), if it is not.
fn int_problem(value: &Value) -> Option<(&'static str, &'static str)> {
    match value {
        Value::Bool(_) => None,
        // serde_json reads integers past u64 as floats: a whole float is
        // taken as the integer it was (Pydantic takes integers of any size).
        Value::Number(number) => match number.as_f64() {
            Some(float) if number.is_f64() && float.fract() != 0.0 => Some((
                "int_from_float",
                "Input should be a valid integer, got a number with a fractional part",
            )),
            _ => None,
        },
        Value::String(text) if parse_int_text(text).is_some() => None,
        Value::String(_) => Some((
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        )),
        _ => Some(("int_type", "Input should be a valid integer")),
    }
}

/// Why a JSON value is no `bool` for Pydantic (lax mode), if it is not.
fn bool_problem(value: &Value) -> Option<(&'static str, &'static str)> {
    const WORDS: [&str; 12] = [
        "0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y", "yes",
    ];
    let parsing = Some((
        "bool_parsing",
        "Input should be a valid boolean, unable to interpret input",
    ));
    match value {
        Value::Bool(_) => None,
        Value::Number(number) => match number.as_f64() {
            Some(float) if float == 0.0 || float == 1.0 => None,
            _ => parsing,
        },
        Value::String(text) if WORDS.iter().any(|word| text.eq_ignore_ascii_case(word)) => None,
        Value::String(_) => parsing,
        _ => Some(("bool_type", "Input should be a valid boolean")),
    }
}

/// `'a', 'b' or 'c'`, as Pydantic lists expected values.
pub(crate) fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|value| format!("'{value}'")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The byte offset Python's `json` module reports for a decode error: where
/// a value was expected (the end, for a body cut short).
pub(crate) fn error_offset(bytes: &[u8], error: &serde_json::Error) -> usize {
    if error.is_eof() {
        return bytes.len();
    }
    let line_start: usize = bytes
        .split(|b| *b == b'\n')
        .take(error.line().saturating_sub(1))
        .map(|line| line.len() + 1)
        .sum();
    (line_start + error.column().saturating_sub(1)).min(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &[Field] = &[
        Field::required("n", Kind::Int),
        Field::optional("b", Kind::Bool),
        Field::optional("mode", Kind::Literal(&["fast", "slow"])),
    ];

    fn detail(body: &str) -> Value {
        match super::body(Problems::default(), body.as_bytes(), MODEL) {
            Ok(_) => Value::Null,
            Err(problems) => Value::Array(problems.into_detail()),
        }
    }

    // Each expectation is what FastAPI 0.165 / Pydantic 2.14 answered for
    // the same model and body.
    #[test]
    fn problems_read_as_pydantic_writes_them() {
        assert_eq!(detail(r#"{"n": "1_000", "b": "YES"}"#), Value::Null);
        assert_eq!(
            detail(r#"{"b": "maybe", "mode": "medium"}"#),
            json!([
                {"type": "missing", "loc": ["body", "n"], "msg": "Field required",
                 "input": {"b": "maybe", "mode": "medium"}},
                {"type": "bool_parsing", "loc": ["body", "b"],
                 "msg": "Input should be a valid boolean, unable to interpret input", "input": "maybe"},
                {"type": "literal_error", "loc": ["body", "mode"], "msg": "Input should be 'fast' or 'slow'",
                 "input": "medium", "ctx": {"expected": "'fast' or 'slow'"}},
            ])
        );
        assert_eq!(
            detail("[1, 2]"),
            json!([{"type": "model_attributes_type", "loc": ["body"],
                    "msg": "Input should be a valid dictionary or object to extract fields from", "input": [1, 2]}])
        );
        assert_eq!(
            detail(r#"{"video_url": "#),
            json!([{"type": "json_invalid", "loc": ["body", 14], "msg": "JSON decode error",
                    "input": {}, "ctx": {"error": "Expecting value"}}])
        );
        assert_eq!(
            detail(""),
            json!([{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}])
        );
        assert_eq!(
            detail(r#"{"n": 18446744073709551615, "b": []}"#),
            json!([{"type": "bool_type", "loc": ["body", "b"], "msg": "Input should be a valid boolean", "input": []}])
        );
    }

    #[test]
    fn integers_from_text_follow_pydantic() {
        for good in [
            " 7 ",
            "1_000",
            "1.0",
            "+7",
            "-0",
            "007",
            "99999999999999999999999999",
        ] {
            assert!(parse_int_text(good).is_some(), "{good:?}");
        }
        for bad in [
            "1.5",
            "1e3",
            "0x10",
            "",
            "7.",
            "１２",
            "-1.58e-114",
            "1__0",
            "_1",
            "abc",
        ] {
            assert!(parse_int_text(bad).is_none(), "{bad:?}");
        }
        assert_eq!(parse_int_text("-12"), Some(IntText::Fits(-12)));
        assert_eq!(
            parse_int_text("9".repeat(36).as_str()),
            Some(IntText::TooBig)
        );
        assert_eq!(one_of(&["srt", "vtt", "txt"]), "'srt', 'vtt' or 'txt'");
    }
}
