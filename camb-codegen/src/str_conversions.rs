//! `From<&str>` for every generated newtype over a `String` (typify writes
//! `From<String>` only), so that a parameter such as `task_id` takes a
//! string literal: `.task_id("...")` as well as `.task_id(String)`.

/// Adds `impl From<&str>` for each `pub struct X(pub String)` of the
/// `types` module of `client`.
pub(crate) fn add(client: &mut syn::File) {
    let Some(items) = client.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "types" => {
            module.content.as_mut().map(|(_, items)| items)
        }
        _ => None,
    }) else {
        return;
    };
    let newtypes: Vec<syn::Ident> = items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) if wraps_a_string(&item.fields) => Some(item.ident.clone()),
            _ => None,
        })
        .collect();
    for name in newtypes {
        items.push(syn::parse_quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self(value.to_owned())
                }
            }
        });
    }
}

/// Whether `fields` are one public `String` (any path to it).
fn wraps_a_string(fields: &syn::Fields) -> bool {
    let syn::Fields::Unnamed(fields) = fields else {
        return false;
    };
    let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    matches!(field.vis, syn::Visibility::Public(_))
        && matches!(&field.ty, syn::Type::Path(path)
            if path.qself.is_none()
                && path.path.segments.last().is_some_and(|last| last.ident == "String" && last.arguments.is_empty()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_newtypes_get_from_str_and_others_do_not() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct TaskIdParam(pub ::std::string::String);
                pub struct Count(pub i64);
                pub struct Private(::std::string::String);
                pub struct Named { pub text: String }
            }
        };
        super::add(&mut file);
        let code = quote::quote!(#file).to_string();
        assert_eq!(code.matches("From < & str >").count(), 1, "{code}");
        assert!(code.contains("From < & str > for TaskIdParam"), "{code}");
    }
}
