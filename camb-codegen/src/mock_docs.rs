//! Docs for the typed httpmock helpers: progenitor names each after its
//! operation and documents none. Each method of `MockServerExt` gets the
//! request it mocks and the `camb-api-ext` methods (`Camb::...`) that send
//! that request, also as doc aliases, so searching the docs for
//! `create_dub` finds `end_to_end_dubbing`.

use openapiv3::{OpenAPI, ReferenceOr};

/// For each operation, the `Camb` methods of `camb-api-ext` that send it:
/// first the one call that is just this request, then the flows that make
/// it among others. Operations not listed have no `Camb` method.
pub const CAMB_METHODS: &[(&str, &[&str])] = &[
    ("end_to_end_dubbing", &["create_dub", "dub", "dub_all"]),
    (
        "get_dub_status",
        &[
            "status",
            "wait_for_dub",
            "wait",
            "watch_dub",
            "wait_for_dubs",
            "dub",
            "dub_all",
        ],
    ),
    ("get_dubbed_run_info", &["result", "dub"]),
    ("get_dubbing_runs_results", &["results", "dub_all"]),
    ("get_dubbed_run_transcript", &["transcript"]),
    (
        "get_dubbed_output_in_alt_format",
        &["start_export", "export"],
    ),
    (
        "get_dubbed_output_in_alt_format_status",
        &["export_status", "wait_for_export", "export"],
    ),
    ("get_source_languages", &["source_languages"]),
    ("get_target_languages", &["target_languages"]),
    ("get_dictionaries", &["dictionaries"]),
    ("create_dictionary_from_file", &["create_dictionary"]),
    ("get_dictionary_info", &["dictionary"]),
    ("get_dictionary_details", &["dictionary_details"]),
    ("add_term_to_dictionary", &["add_dictionary_term"]),
    (
        "update_term_translation_in_dictionary_using_term_id",
        &["update_dictionary_term"],
    ),
    ("delete_dictionary_term", &["delete_dictionary_term"]),
    ("delete_dictionary", &["delete_dictionary"]),
    ("list_folders", &["folders"]),
    ("create_folder", &["create_folder"]),
];

/// Adds the docs and aliases to the methods of `MockServerExt` in `file`.
pub(crate) fn document(file: &mut syn::File, spec: &OpenAPI) {
    for item in &mut file.items {
        let syn::Item::Trait(helpers) = item else {
            continue;
        };
        if helpers.ident != "MockServerExt" {
            continue;
        }
        helpers.attrs.push(syn::parse_quote! {
            #[doc = " One typed mock per operation of the spec: `when` matches the request's parameters and body, `then` answers with a typed body."]
        });
        for helper in &mut helpers.items {
            let syn::TraitItem::Fn(helper) = helper else {
                continue;
            };
            let operation = helper.sig.ident.to_string();
            let request = request_of(spec, &operation)
                .map_or_else(String::new, |(method, path)| format!("`{method} {path}`, "));
            let methods = CAMB_METHODS
                .iter()
                .find(|(name, _)| *name == operation)
                .map_or(&[][..], |(_, methods)| *methods);
            let doc = match methods {
                [] => format!(
                    " Mocks {request}operation `{operation}`. `camb-api-ext` has no method for it: \
                     call it through `Camb::raw`."
                ),
                [call, flows @ ..] => {
                    let mut doc = format!(
                        " Mocks {request}operation `{operation}`: the request `Camb::{call}` sends"
                    );
                    if !flows.is_empty() {
                        let flows: Vec<String> =
                            flows.iter().map(|flow| format!("`Camb::{flow}`")).collect();
                        doc.push_str(&format!(" (also made by {})", flows.join(", ")));
                    }
                    doc.push('.');
                    doc
                }
            };
            helper.attrs.push(syn::parse_quote!(#[doc = #doc]));
            // rustdoc refuses an alias that is the item's own name.
            let aliases: Vec<&str> = methods
                .iter()
                .copied()
                .filter(|method| *method != operation)
                .collect();
            if !aliases.is_empty() {
                helper
                    .attrs
                    .push(syn::parse_quote!(#[doc(alias(#(#aliases),*))]));
            }
        }
    }
}

/// The method and path of the operation with this (short) operationId.
fn request_of(spec: &OpenAPI, operation_id: &str) -> Option<(&'static str, String)> {
    spec.paths.paths.iter().find_map(|(path, item)| {
        let ReferenceOr::Item(item) = item else {
            return None;
        };
        [
            ("GET", &item.get),
            ("PUT", &item.put),
            ("POST", &item.post),
            ("DELETE", &item.delete),
            ("OPTIONS", &item.options),
            ("HEAD", &item.head),
            ("PATCH", &item.patch),
            ("TRACE", &item.trace),
        ]
        .into_iter()
        .find_map(|(method, operation)| {
            let id = operation.as_ref()?.operation_id.as_deref()?;
            (id == operation_id).then(|| (method, path.clone()))
        })
    })
}
