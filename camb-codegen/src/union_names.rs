//! Names for the members of untagged unions. typify turns an `anyOf` whose
//! members may overlap into a struct of optional, flattened fields named
//! `subtype_0`, `subtype_1`, ...; here each field is renamed after its
//! member instead: the member's `title`, else the schema its `$ref` names,
//! in snake case (`DubResult` -> `dub_result`). Members with neither keep
//! typify's name. The wire format is unchanged: the fields are flattened.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind};
use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::ToTokens;

/// For each union the client holds (a component schema that is an `anyOf`,
/// or an `anyOf` answer body with a `title`, which typify names after it),
/// typify's field name of each named member and the name it gets instead.
pub(crate) fn member_names(spec: &OpenAPI) -> BTreeMap<String, Vec<(String, String)>> {
    let mut unions = BTreeMap::new();
    let components = spec
        .components
        .iter()
        .flat_map(|components| &components.schemas)
        .filter_map(|(name, schema)| Some((name.clone(), schema.as_item()?)));
    let answers = spec
        .operations()
        .flat_map(|(_, _, operation)| operation.responses.responses.values())
        .filter_map(ReferenceOr::as_item)
        .flat_map(|response| response.content.values())
        .filter_map(|media| media.schema.as_ref()?.as_item())
        .filter_map(|schema| Some((schema.schema_data.title.clone()?, schema)));
    for (name, schema) in components.chain(answers) {
        let SchemaKind::AnyOf { any_of } = &schema.schema_kind else {
            continue;
        };
        let renames: Vec<(String, String)> = any_of
            .iter()
            .enumerate()
            .filter_map(|(index, member)| {
                let name = match member {
                    ReferenceOr::Reference { reference } => {
                        reference.rsplit('/').next().map(str::to_owned)
                    }
                    ReferenceOr::Item(schema) => schema.schema_data.title.clone(),
                }?;
                Some((format!("subtype_{index}"), snake_case(&name)))
            })
            .collect();
        if !renames.is_empty() {
            unions.insert(crate::typify_name(&name), renames);
        }
    }
    unions
}

/// `DubResult` -> `dub_result`, `TaskIDResponse` -> `task_id_response`,
/// `Results by language` -> `results_by_language`.
pub(crate) fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 && !out.ends_with('_') {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out.trim_end_matches('_').to_owned()
}

/// Renames the union fields in the generated client: in the struct of each
/// union and its builder, and in every `impl` for them.
pub(crate) fn rename(file: &mut syn::File, unions: &BTreeMap<String, Vec<(String, String)>>) {
    rename_in(&mut file.items, unions);
}

fn rename_in(items: &mut [syn::Item], unions: &BTreeMap<String, Vec<(String, String)>>) {
    for item in items {
        let union = match item {
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    rename_in(items, unions);
                }
                continue;
            }
            syn::Item::Struct(s) => unions.get(&s.ident.to_string()),
            syn::Item::Impl(i) => match &*i.self_ty {
                syn::Type::Path(path) => path
                    .path
                    .segments
                    .last()
                    .and_then(|last| unions.get(&last.ident.to_string())),
                _ => None,
            },
            _ => None,
        };
        let Some(renames) = union else { continue };
        let renamed = rename_idents(item.to_token_stream(), renames);
        if let Ok(parsed) = syn::parse2(renamed) {
            *item = parsed;
        }
    }
}

fn rename_idents(tokens: TokenStream, renames: &[(String, String)]) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) => match renames.iter().find(|(from, _)| ident == from) {
                Some((_, to)) => TokenTree::Ident(Ident::new(to, ident.span())),
                None => TokenTree::Ident(ident),
            },
            TokenTree::Group(group) => {
                let mut renamed = proc_macro2::Group::new(
                    group.delimiter(),
                    rename_idents(group.stream(), renames),
                );
                renamed.set_span(group.span());
                TokenTree::Group(renamed)
            }
            // The builder's error messages name the field too.
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                let mut renamed = text.clone();
                // Highest index first: `subtype_1` is a prefix of `subtype_10`.
                for (from, to) in renames.iter().rev() {
                    renamed = renamed.replace(from.as_str(), to);
                }
                match renamed.parse::<TokenStream>().map(|t| t.into_iter().next()) {
                    Ok(Some(TokenTree::Literal(new))) if renamed != text => TokenTree::Literal(new),
                    _ => TokenTree::Literal(literal),
                }
            }
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case() {
        for (name, snake) in [
            ("DubResult", "dub_result"),
            ("TaskIDResponse", "task_id_response"),
            ("StringMap", "string_map"),
            ("Results by language", "results_by_language"),
            ("DubResultsByLanguage", "dub_results_by_language"),
        ] {
            assert_eq!(snake_case(name), snake, "{name}");
        }
    }
}
