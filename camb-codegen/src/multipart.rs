//! Operations with a `multipart/form-data` body, which progenitor 0.15 cannot
//! generate (it knows JSON, form-urlencoded, octet-stream and text bodies).
//!
//! Such an operation is left out of progenitor's input for the client, and
//! generated here instead: a builder in progenitor's style
//! (`client.op().body_map(..).file(..).send()`), whose `send` hands the form
//! to camb-api's hand-written sender (`crate::multipart`), which does the
//! wire work through the same hooks as every generated call. The form's
//! fields come from the body schema: progenitor still generates its type, minus
//! the file properties, which become setters of the builder taking camb-api's
//! `multipart::FilePart`.
//! The httpmock helpers are progenitor's, generated from the operation
//! without its body (they match method, path and parameters and answer with
//! the typed responses).

use std::fmt;

use heck::ToSnakeCase;
use openapiv3::{
    MediaType, OpenAPI, Operation, ReferenceOr, RequestBody, Response, Schema, SchemaKind,
    StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The media type progenitor cannot generate a body for.
pub const MULTIPART: &str = "multipart/form-data";

/// An operation whose body is `multipart/form-data`, and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MultipartOperation {
    /// Its operationId (the client method's name).
    pub operation_id: String,
    /// `POST`, `PUT`...
    pub method: String,
    /// Its path.
    pub path: String,
    /// Whether camb-api's multipart code sends it.
    pub outcome: Outcome,
}

/// What became of a multipart operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Generated as a builder sent by camb-api's multipart code.
    Sent {
        /// The body's properties sent as file parts.
        files: Vec<String>,
        /// The body's other properties, sent as text parts.
        fields: Vec<String>,
    },
    /// Not in the client at all, for this reason.
    LeftOut(String),
}

impl fmt::Display for MultipartOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} ({}): a {MULTIPART} body, which progenitor cannot generate; ",
            self.method, self.path, self.operation_id
        )?;
        match &self.outcome {
            Outcome::Sent { files, fields } => write!(
                f,
                "sent by camb-api's multipart code (file parts: {}; fields: {})",
                list(files),
                list(fields)
            ),
            Outcome::LeftOut(reason) => write!(f, "left out of the client: {reason}"),
        }
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

/// The multipart operations of `spec`, in path order.
pub fn multipart_operations(spec: &OpenAPI) -> Vec<MultipartOperation> {
    plan(spec).operations
}

/// What progenitor gets instead of `spec`, and the code it cannot write.
pub(crate) struct Plan {
    /// The multipart operations found.
    pub operations: Vec<MultipartOperation>,
    /// `spec` without its multipart operations, plus the types their
    /// builders use: input for the client.
    pub client_spec: OpenAPI,
    /// `spec` with those operations body-less: input for the httpmock helpers.
    pub mock_spec: OpenAPI,
    /// The builders, for progenitor's `builder` module.
    pub builders: TokenStream,
    /// The `Client` methods that start them.
    pub methods: TokenStream,
}

/// One operation the builder can send.
struct Sendable {
    operation_id: String,
    method: String,
    path: String,
    /// The component holding the body's non-file properties, if any remain.
    fields_type: Option<String>,
    fields: Vec<String>,
    /// `(property, is an array of files, required)`.
    files: Vec<(String, bool, bool)>,
    /// `(name, Rust type, required)` of each query parameter.
    query: Vec<(String, TokenStream, bool)>,
    /// `(name, Rust type, required)` of each header parameter.
    headers: Vec<(String, TokenStream, bool)>,
    success: Answer,
    errors: Answer,
}

/// The decoded type of some response statuses.
#[derive(Default)]
struct Answer {
    statuses: Vec<u16>,
    /// The component the body decodes into; `None`: no body.
    type_name: Option<String>,
}

pub(crate) fn plan(spec: &OpenAPI) -> Plan {
    let mut client_spec = spec.clone();
    let mut mock_spec = spec.clone();
    let mut operations = Vec::new();
    let mut sendables = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let Some(body) = multipart_body(spec, operation) else {
                continue;
            };
            let operation_id = operation.operation_id.clone().unwrap_or_default();
            let method = method.to_uppercase();
            // The client never sees it; the mocks see it without its body.
            remove_operation(&mut client_spec, path, &method, |_| true);
            remove_operation(&mut mock_spec, path, &method, |operation| {
                operation.request_body = None;
                false
            });
            let outcome = match sendable(spec, &operation_id, &method, path, operation, body)
                .and_then(|sendable| {
                    let added = add_types(spec, &sendable, operation, body)?;
                    Ok((sendable, added))
                }) {
                Ok((sendable, added)) => {
                    for (name, schema) in added.components {
                        for target in [&mut client_spec, &mut mock_spec] {
                            let components = target.components.get_or_insert_default();
                            match &schema {
                                Some(schema) => {
                                    components.schemas.insert(name.clone(), schema.clone());
                                }
                                None => {
                                    components.schemas.shift_remove(&name);
                                }
                            }
                        }
                    }
                    // The mocks answer with the same (now named) types.
                    remove_operation(&mut mock_spec, path, &method, |operation| {
                        operation.responses = added.responses.clone();
                        false
                    });
                    let outcome = Outcome::Sent {
                        files: sendable
                            .files
                            .iter()
                            .map(|(name, ..)| name.clone())
                            .collect(),
                        fields: sendable.fields.clone(),
                    };
                    sendables.push(sendable);
                    outcome
                }
                Err(reason) => {
                    remove_operation(&mut mock_spec, path, &method, |_| true);
                    Outcome::LeftOut(reason)
                }
            };
            operations.push(MultipartOperation {
                operation_id,
                method,
                path: path.clone(),
                outcome,
            });
        }
    }
    let builders = sendables.iter().map(builder).collect();
    let methods = sendables.iter().map(client_method).collect();
    Plan {
        operations,
        client_spec,
        mock_spec,
        builders,
        methods,
    }
}

/// The operation's `multipart/form-data` media type, if its body has one.
fn multipart_body<'a>(spec: &'a OpenAPI, operation: &'a Operation) -> Option<&'a MediaType> {
    let body: &RequestBody = match operation.request_body.as_ref()? {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            spec.components
                .as_ref()?
                .request_bodies
                .get(name)?
                .as_item()?
        }
    };
    body.content.get(MULTIPART)
}

/// Removes (when `edit` returns true) or edits the operation `method` of `path`.
fn remove_operation(
    spec: &mut OpenAPI,
    path: &str,
    method: &str,
    edit: impl FnOnce(&mut Operation) -> bool,
) {
    let Some(ReferenceOr::Item(item)) = spec.paths.paths.get_mut(path) else {
        return;
    };
    let slot = match method {
        "GET" => &mut item.get,
        "PUT" => &mut item.put,
        "POST" => &mut item.post,
        "DELETE" => &mut item.delete,
        "OPTIONS" => &mut item.options,
        "HEAD" => &mut item.head,
        "PATCH" => &mut item.patch,
        "TRACE" => &mut item.trace,
        _ => return,
    };
    if slot.as_mut().is_some_and(edit) {
        *slot = None;
    }
}

fn component<'a>(spec: &'a OpenAPI, reference: &str) -> Option<(&'a str, &'a Schema)> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    let (name, schema) = spec.components.as_ref()?.schemas.get_key_value(name)?;
    Some((name.as_str(), schema.as_item()?))
}

fn is_file(schema: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(
        schema,
        ReferenceOr::Item(schema) if matches!(
            &schema.schema_kind,
            SchemaKind::Type(Type::String(string))
                if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
        )
    )
}

fn is_file_array(schema: &ReferenceOr<Box<Schema>>) -> bool {
    matches!(
        schema,
        ReferenceOr::Item(schema) if matches!(
            &schema.schema_kind,
            SchemaKind::Type(Type::Array(array)) if array.items.as_ref().is_some_and(is_file)
        )
    )
}

/// What the builder needs to send `operation`, or why it cannot.
fn sendable(
    spec: &OpenAPI,
    operation_id: &str,
    method: &str,
    path: &str,
    operation: &Operation,
    body: &MediaType,
) -> Result<Sendable, String> {
    if operation_id.is_empty() {
        return Err("it has no operationId".into());
    }
    let path_item_parameters = match spec.paths.paths.get(path) {
        Some(ReferenceOr::Item(item)) => item.parameters.len(),
        _ => 0,
    };
    if path_item_parameters > 0 {
        return Err(PARAMETERS.into());
    }
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for parameter in &operation.parameters {
        let (parameter_data, list) = match parameter {
            ReferenceOr::Item(openapiv3::Parameter::Query { parameter_data, .. }) => {
                (parameter_data, &mut query)
            }
            ReferenceOr::Item(openapiv3::Parameter::Header { parameter_data, .. }) => {
                (parameter_data, &mut headers)
            }
            _ => return Err(PARAMETERS.into()),
        };
        let openapiv3::ParameterSchemaOrContent::Schema(schema) = &parameter_data.format else {
            return Err(PARAMETERS.into());
        };
        let rust = query_type(schema).ok_or_else(|| PARAMETERS.to_owned())?;
        list.push((parameter_data.name.clone(), rust, parameter_data.required));
    }
    let (_, schema) = body_schema(spec, body)?;
    let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
        return Err("its form body is not a `type: object` schema".into());
    };
    let mut fields = Vec::new();
    let mut files = Vec::new();
    for (name, property) in &object.properties {
        let required = object.required.contains(name);
        if is_file(property) {
            files.push((name.clone(), false, required));
        } else if is_file_array(property) {
            files.push((name.clone(), true, required));
        } else {
            fields.push(name.clone());
        }
    }
    let fields_type = (!fields.is_empty()).then(|| fields_component(operation_id, body));
    Ok(Sendable {
        operation_id: operation_id.to_owned(),
        method: method.to_owned(),
        path: path.to_owned(),
        fields_type,
        fields,
        files,
        query,
        headers,
        success: answer(spec, operation, operation_id, true)?,
        errors: answer(spec, operation, operation_id, false)?,
    })
}

/// Why an operation with other parameters is left out.
const PARAMETERS: &str = "camb-api's multipart builder takes only query and header parameters \
                          of a plain type (string, integer, number, boolean, or a named schema) \
                          besides the form body (extend camb-codegen's multipart.rs)";

/// The Rust type of a query or header parameter, when it is a plain one.
fn query_type(schema: &ReferenceOr<Schema>) -> Option<TokenStream> {
    match schema {
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/schemas/")?;
            let name = format_ident!("{}", crate::typify_name(name));
            Some(quote!(types::#name))
        }
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::Type(Type::String(string))
                if string.format == VariantOrUnknownOrEmpty::Empty
                    && string.enumeration.is_empty() =>
            {
                Some(quote!(::std::string::String))
            }
            SchemaKind::Type(Type::Integer(integer)) if integer.enumeration.is_empty() => {
                Some(quote!(i64))
            }
            SchemaKind::Type(Type::Number(number)) if number.enumeration.is_empty() => {
                Some(quote!(f64))
            }
            SchemaKind::Type(Type::Boolean(_)) => Some(quote!(bool)),
            _ => None,
        },
    }
}

/// The body schema and its component name (`None`: written inline).
fn body_schema<'a>(
    spec: &'a OpenAPI,
    body: &'a MediaType,
) -> Result<(Option<&'a str>, &'a Schema), String> {
    match &body.schema {
        Some(ReferenceOr::Item(schema)) => Ok((None, schema)),
        Some(ReferenceOr::Reference { reference }) => component(spec, reference)
            .map(|(name, schema)| (Some(name), schema))
            .ok_or_else(|| format!("its form body refers to {reference}, which is not a schema")),
        None => Err("its form body has no schema".into()),
    }
}

/// The component that holds the form's non-file fields: the body's own, or
/// `<Operation>Body` for an inline body (progenitor's name for JSON bodies).
fn fields_component(operation_id: &str, body: &MediaType) -> String {
    match &body.schema {
        Some(ReferenceOr::Reference { reference }) => reference
            .trim_start_matches("#/components/schemas/")
            .to_owned(),
        _ => format!("{}Body", crate::typify_name(operation_id)),
    }
}

/// The statuses of one class (success: 2xx; errors: 4xx and 5xx) and the
/// one type their bodies decode into.
fn answer(
    spec: &OpenAPI,
    operation: &Operation,
    operation_id: &str,
    success: bool,
) -> Result<Answer, String> {
    let mut answer = Answer::default();
    let mut typed = Vec::new();
    for (status, response) in &operation.responses.responses {
        let StatusCode::Code(code) = status else {
            return Err(format!(
                "response {status} is a range, which the multipart builder does not handle yet"
            ));
        };
        if (200..300).contains(code) != success || (*code < 400 && !success) {
            continue;
        }
        answer.statuses.push(*code);
        let response = response_of(spec, response)?;
        if let Some(name) = json_type(response, operation_id, success, *code)? {
            typed.push(name);
        }
    }
    typed.dedup();
    match typed.as_slice() {
        [] => {}
        [name] => answer.type_name = Some(name.clone()),
        several => {
            return Err(format!(
                "its {} answers have different types ({}), which the multipart builder \
                 does not handle yet",
                if success { "success" } else { "error" },
                several.join(", ")
            ));
        }
    }
    Ok(answer)
}

fn response_of<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
) -> Result<&'a Response, String> {
    match response {
        ReferenceOr::Item(response) => Ok(response),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| spec.components.as_ref()?.responses.get(name)?.as_item())
            .ok_or_else(|| format!("response {reference} is not defined")),
    }
}

/// The component a JSON response decodes into (`None`: no body).
fn json_type(
    response: &Response,
    operation_id: &str,
    success: bool,
    code: u16,
) -> Result<Option<String>, String> {
    let Some((media_type, content)) = response.content.first() else {
        return Ok(None);
    };
    if media_type != "application/json" || response.content.len() > 1 {
        return Err(format!(
            "its {code} answer is not only application/json, which the multipart builder \
             does not handle yet"
        ));
    }
    match &content.schema {
        Some(ReferenceOr::Reference { reference }) => Ok(Some(
            reference
                .trim_start_matches("#/components/schemas/")
                .to_owned(),
        )),
        Some(ReferenceOr::Item(_)) => Ok(Some(inline_response_component(operation_id, success))),
        None => Ok(None),
    }
}

fn inline_response_component(operation_id: &str, success: bool) -> String {
    let kind = if success { "Response" } else { "ErrorResponse" };
    format!("{}{kind}", crate::typify_name(operation_id))
}

/// Components to add (`Some`) or remove (`None`), and the operation's
/// responses with their inline schemas replaced by those components.
struct Added {
    components: Vec<(String, Option<ReferenceOr<Schema>>)>,
    responses: openapiv3::Responses,
}

fn add_types(
    spec: &OpenAPI,
    sendable: &Sendable,
    operation: &Operation,
    body: &MediaType,
) -> Result<Added, String> {
    let mut components = Vec::new();
    let exists = |name: &str| {
        spec.components
            .as_ref()
            .is_some_and(|components| components.schemas.contains_key(name))
    };
    // The form's fields, without the files.
    let (body_component, schema) = body_schema(spec, body)?;
    let mut fields = schema.clone();
    if let SchemaKind::Type(Type::Object(object)) = &mut fields.schema_kind {
        for (file, ..) in &sendable.files {
            object.properties.shift_remove(file);
            object.required.retain(|name| name != file);
        }
    }
    match (&sendable.fields_type, body_component) {
        (Some(name), Some(_)) => components.push((name.clone(), Some(ReferenceOr::Item(fields)))),
        (Some(name), None) if exists(name) => {
            return Err(format!(
                "its inline body would be named {name}, a schema that exists"
            ));
        }
        (Some(name), None) => components.push((name.clone(), Some(ReferenceOr::Item(fields)))),
        (None, Some(name)) => components.push((name.to_owned(), None)),
        (None, None) => {}
    }
    let mut responses = operation.responses.clone();
    for (status, response) in responses.responses.iter_mut() {
        let ReferenceOr::Item(response) = response else {
            continue;
        };
        let success = matches!(status, StatusCode::Code(200..=299));
        for content in response.content.values_mut() {
            if let Some(ReferenceOr::Item(schema)) = &content.schema {
                let name = inline_response_component(&sendable.operation_id, success);
                if exists(&name) {
                    return Err(format!(
                        "its inline answer would be named {name}, a schema that exists"
                    ));
                }
                components.push((name.clone(), Some(ReferenceOr::Item(schema.clone()))));
                content.schema = Some(ReferenceOr::Reference {
                    reference: format!("#/components/schemas/{name}"),
                });
            }
        }
    }
    Ok(Added {
        components,
        responses,
    })
}

fn type_path(component: Option<&String>) -> TokenStream {
    match component {
        Some(name) => {
            let name = format_ident!("{}", crate::typify_name(name));
            quote!(types::#name)
        }
        None => quote!(()),
    }
}

fn builder(sendable: &Sendable) -> TokenStream {
    let name = format_ident!("{}", crate::typify_name(&sendable.operation_id));
    let method_name = sendable.operation_id.to_snake_case();
    let doc = format!(
        "Builder for [`Client::{method_name}`]: a `{MULTIPART}` request, sent by \
         camb-api's multipart code.\n\n[`Client::{method_name}`]: super::Client::{method_name}"
    );
    let success = type_path(sendable.success.type_name.as_ref());
    let error = type_path(sendable.errors.type_name.as_ref());
    let (body_field, body_init, body_setters, body_take) = match &sendable.fields_type {
        Some(component) => {
            let rust = format_ident!("{}", crate::typify_name(component));
            let setter_doc = format!("The form's text fields ({}).", sendable.fields.join(", "));
            (
                quote!(body: Result<types::builder::#rust, String>,),
                quote!(body: Ok(::std::default::Default::default()),),
                quote! {
                    #[doc = #setter_doc]
                    pub fn body<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<types::#rust>,
                        <V as std::convert::TryInto<types::#rust>>::Error: std::fmt::Display,
                    {
                        self.body = value.try_into().map(From::from).map_err(|s| {
                            format!("conversion to `{}` for body failed: {}", stringify!(#rust), s)
                        });
                        self
                    }
                    #[doc = #setter_doc]
                    pub fn body_map<F>(mut self, f: F) -> Self
                    where
                        F: std::ops::FnOnce(types::builder::#rust) -> types::builder::#rust,
                    {
                        self.body = self.body.map(f);
                        self
                    }
                },
                quote! {
                    let body = body
                        .and_then(|v| types::#rust::try_from(v).map_err(|e| e.to_string()))
                        .map_err(Error::InvalidRequest)?;
                    let form = crate::multipart::text_fields(&body).map_err(Error::InvalidRequest)?;
                },
            )
        }
        None => (
            quote!(),
            quote!(),
            quote!(),
            quote!(let form = crate::multipart::Form::new();),
        ),
    };
    let file_names: Vec<_> = sendable
        .files
        .iter()
        .map(|(file, ..)| format_ident!("{}", file.to_snake_case()))
        .collect();
    let file_fields = sendable
        .files
        .iter()
        .zip(&file_names)
        .map(|((_, many, _), ident)| {
            if *many {
                quote!(#ident: Vec<crate::multipart::FilePart>,)
            } else {
                quote!(#ident: Option<crate::multipart::FilePart>,)
            }
        });
    let file_inits = sendable
        .files
        .iter()
        .zip(&file_names)
        .map(|((_, many, _), ident)| {
            if *many {
                quote!(#ident: Vec::new(),)
            } else {
                quote!(#ident: None,)
            }
        });
    let file_setters =
        sendable
            .files
            .iter()
            .zip(&file_names)
            .map(|((wire, many, required), ident)| {
                let status = if *required { "required" } else { "optional" };
                if *many {
                    let doc = format!(
                        "The `{wire}` file parts ({status}: at least one is sent when required)."
                    );
                    quote! {
                        #[doc = #doc]
                        pub fn #ident<I>(mut self, parts: I) -> Self
                        where
                            I: IntoIterator<Item = crate::multipart::FilePart>,
                        {
                            self.#ident.extend(parts);
                            self
                        }
                    }
                } else {
                    let doc = format!("The `{wire}` file part ({status}).");
                    quote! {
                        #[doc = #doc]
                        pub fn #ident(mut self, part: crate::multipart::FilePart) -> Self {
                            self.#ident = Some(part);
                            self
                        }
                    }
                }
            });
    let file_takes = sendable.files.iter().zip(&file_names).map(
        |((wire, many, required), ident)| {
            let missing = format!("`{wire}` was not set");
            match (*many, *required) {
                (false, true) => quote! {
                    let form = form.file(
                        #wire,
                        #ident.ok_or_else(|| Error::InvalidRequest(#missing.to_string()))?,
                    );
                },
                (false, false) => quote! {
                    let form = match #ident {
                        Some(part) => form.file(#wire, part),
                        None => form,
                    };
                },
                (true, required) => quote! {
                    if #required && #ident.is_empty() {
                        return Err(Error::InvalidRequest(#missing.to_string()));
                    }
                    let form = #ident.into_iter().fold(form, |form, part| form.file(#wire, part));
                },
            }
        },
    );
    // Query and header parameters: a setter each, then pushed (as text) to
    // the `query` or the `headers` list `send` takes.
    let parameters: Vec<_> = [("query", &sendable.query), ("header", &sendable.headers)]
        .into_iter()
        .flat_map(|(kind, list)| list.iter().map(move |parameter| (kind, parameter)))
        .collect();
    let query_names: Vec<_> = parameters
        .iter()
        .map(|(_, (name, ..))| format_ident!("{}", name.to_snake_case()))
        .collect();
    let query_fields = parameters
        .iter()
        .zip(&query_names)
        .map(|((_, (_, rust, _)), ident)| quote!(#ident: Option<#rust>,));
    let query_inits = query_names.iter().map(|ident| quote!(#ident: None,));
    let query_setters =
        parameters
            .iter()
            .zip(&query_names)
            .map(|((kind, (wire, rust, required)), ident)| {
                let status = if *required { "required" } else { "optional" };
                let doc = format!("The `{wire}` {kind} parameter ({status}).");
                quote! {
                    #[doc = #doc]
                    pub fn #ident<V: Into<#rust>>(mut self, value: V) -> Self {
                        self.#ident = Some(value.into());
                        self
                    }
                }
            });
    let query_takes = parameters.iter().zip(&query_names).map(
        |((kind, (wire, _, required)), ident)| {
            let missing = format!("`{wire}` was not set");
            let list = if *kind == "query" {
                quote!(query)
            } else {
                quote!(headers)
            };
            if *required {
                quote! {
                    let #ident = #ident.ok_or_else(|| Error::InvalidRequest(#missing.to_string()))?;
                    #list.push((#wire, #ident.to_string()));
                }
            } else {
                quote! {
                    if let Some(value) = #ident {
                        #list.push((#wire, value.to_string()));
                    }
                }
            }
        },
    );
    let destructure_body = sendable.fields_type.as_ref().map(|_| quote!(body,));
    let operation_id = &sendable.operation_id;
    let method = format_ident!("{}", sendable.method);
    let path = &sendable.path;
    let send_doc = format!("Sends a `{}` request to `{path}`", sendable.method);
    let success_statuses = &sendable.success.statuses;
    let error_statuses = &sendable.errors.statuses;
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub struct #name<'a> {
            client: &'a super::Client,
            #body_field
            #(#file_fields)*
            #(#query_fields)*
        }
        impl<'a> #name<'a> {
            pub fn new(client: &'a super::Client) -> Self {
                Self {
                    client,
                    #body_init
                    #(#file_inits)*
                    #(#query_inits)*
                }
            }
            #body_setters
            #(#file_setters)*
            #(#query_setters)*
            #[doc = #send_doc]
            pub async fn send(self) -> Result<ResponseValue<#success>, Error<#error>> {
                let Self { client, #destructure_body #(#file_names,)* #(#query_names,)* } = self;
                #[allow(unused_mut)]
                let mut query: Vec<(&'static str, String)> = Vec::new();
                #[allow(unused_mut)]
                let mut headers: Vec<(&'static str, String)> = Vec::new();
                #(#query_takes)*
                #body_take
                #(#file_takes)*
                crate::multipart::send(
                    client,
                    crate::multipart::Operation {
                        id: #operation_id,
                        method: ::reqwest::Method::#method,
                        path: #path,
                        success: &[#(#success_statuses),*],
                        errors: &[#(#error_statuses),*],
                    },
                    &query,
                    &headers,
                    form,
                )
                .await
            }
        }
    }
}

fn client_method(sendable: &Sendable) -> TokenStream {
    let name = format_ident!("{}", crate::typify_name(&sendable.operation_id));
    let method = format_ident!("{}", sendable.operation_id.to_snake_case());
    let doc = format!(
        "Sends a `{}` request to `{}` with a `{MULTIPART}` body (camb-api's multipart \
         code: progenitor generates no multipart bodies).",
        sendable.method, sendable.path
    );
    quote! {
        #[doc = #doc]
        pub fn #method(&self) -> builder::#name<'_> {
            builder::#name::new(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Features, generate};

    /// A 3.0 spec with a multipart upload (inline body and answer, a query
    /// and a header parameter) and a multipart operation the builder cannot
    /// send (a cookie parameter).
    fn spec() -> OpenAPI {
        let upload = serde_json::json!({
            "type": "object",
            "required": ["media"],
            "properties": {
                "media": {"type": "string", "format": "binary"},
                "language": {"type": "integer"}
            }
        });
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/transcribe": {"post": {
                    "operationId": "transcribe",
                    "parameters": [
                        {"name": "run_id", "in": "query", "schema": {"type": "integer"}},
                        {"name": "traceparent", "in": "header", "schema": {"type": "string"}}
                    ],
                    "requestBody": {"content": {"multipart/form-data": {"schema": upload}}},
                    "responses": {
                        "200": {"description": "ok", "content": {"application/json": {"schema": {
                            "type": "object", "properties": {"task_id": {"type": "string"}}
                        }}}},
                        "422": {"description": "bad"}
                    }
                }},
                "/upload": {"put": {
                    "operationId": "upload",
                    "parameters": [{"name": "q", "in": "cookie", "schema": {"type": "string"}}],
                    "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
                    "responses": {"204": {"description": "done"}}
                }},
                "/status": {"get": {
                    "operationId": "status",
                    "responses": {"200": {"description": "ok"}}
                }}
            }
        }))
        .unwrap()
    }

    #[test]
    fn each_multipart_operation_is_listed_with_its_outcome() {
        let operations = multipart_operations(&spec());
        assert_eq!(
            operations,
            [
                MultipartOperation {
                    operation_id: "transcribe".into(),
                    method: "POST".into(),
                    path: "/transcribe".into(),
                    outcome: Outcome::Sent {
                        files: vec!["media".into()],
                        fields: vec!["language".into()],
                    },
                },
                MultipartOperation {
                    operation_id: "upload".into(),
                    method: "PUT".into(),
                    path: "/upload".into(),
                    outcome: Outcome::LeftOut(PARAMETERS.into()),
                },
            ]
        );
        assert!(operations[1].to_string().starts_with(
            "PUT /upload (upload): a multipart/form-data body, which progenitor cannot \
             generate; left out of the client: "
        ));
    }

    #[test]
    fn a_sendable_operation_gets_a_builder_and_mocks_and_progenitor_never_sees_its_body() {
        let code = generate(&spec(), Features::ALL).unwrap();
        let client: String = code.client.split_whitespace().collect();
        for expected in [
            "pubfntranscribe(&self)->builder::Transcribe<'_>",
            "pubstructTranscribeBody{",
            "pubstructTranscribeResponse{",
            "pubfnmedia(mutself,part:crate::multipart::FilePart)->Self",
            "Result<ResponseValue<types::TranscribeResponse>,Error<()>>",
            "success:&[200u16],errors:&[422u16]",
            "pubfnrun_id<V:Into<i64>>(mutself,value:V)->Self",
            "query.push((\"run_id\",value.to_string()));",
            "pubfntraceparent<V:Into<::std::string::String>>(mutself,value:V)->Self",
            "headers.push((\"traceparent\",value.to_string()));",
            "&query,&headers,form",
            "pubfnstatus(&self)",
        ] {
            assert!(client.contains(expected), "{expected} in {}", code.client);
        }
        // The form type has no file field; the unsendable operation is gone.
        assert!(!client.contains("pubmedia:"), "{}", code.client);
        assert!(!client.contains("fnupload"), "{}", code.client);
        let mock: String = code.mock.unwrap().split_whitespace().collect();
        assert!(mock.contains("fntranscribe<F>"), "{mock}");
        assert!(
            mock.contains("pubfnok(self,value:&types::TranscribeResponse)->Self"),
            "{mock}"
        );
        assert!(!mock.contains("fnupload"), "{mock}");
    }
}
