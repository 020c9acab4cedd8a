//! `cargo xtask doc-links` finds the type names rustdoc left unlinked in
//! signatures, and only those: pages shaped as rustdoc writes them (the
//! snippets are cut from camb-api-ext's own docs).

use xtask::doc_links::{Unlinked, unlinked_in_page};

fn names(page: &str, body: &str) -> Vec<String> {
    let html = format!("<!DOCTYPE html><html><body><main>{body}</main></body></html>");
    let mut names: Vec<String> = unlinked_in_page(page, &html)
        .into_iter()
        .map(|Unlinked { name, .. }| name)
        .collect();
    names.dedup();
    names
}

#[test]
fn a_linked_type_passes_and_an_unlinked_one_is_named() {
    let linked = r##"<section id="method.result" class="method"><h4 class="code-header">pub async fn <a href="#method.result" class="fn">result</a>(&amp;self, run_id: <a class="struct" href="struct.RunId.html">RunId</a>) -&gt; <a class="enum" href="https://doc.rust-lang.org/core/result/enum.Result.html">Result</a>&lt;<a class="struct" href="struct.DubOutputs.html">DubOutputs</a>, <a class="enum" href="enum.Error.html">Error</a>&gt;</h4></section>"##;
    assert_eq!(
        names("camb_api_ext/struct.Camb.html", linked),
        Vec::<String>::new()
    );

    let dead = r##"<section id="method.ok" class="method"><h4 class="code-header">pub fn <a href="#method.ok" class="fn">ok</a>(self, value: &amp;DubbedRunInfo) -&gt; Self</h4></section>"##;
    assert_eq!(
        names(
            "camb_api_ext/mock/operations/struct.GetDubbedRunInfoThen.html",
            dead
        ),
        ["DubbedRunInfo"]
    );
}

#[test]
fn fields_and_variant_fields_are_signatures_but_their_docs_are_not() {
    let field = r##"<span id="structfield.raw" class="structfield section-header"><a href="#structfield.raw" class="anchor field">§</a><code>raw: DubResult</code></span><div class="docblock"><p>The <code>DubResult</code> as decoded.</p></div>"##;
    assert_eq!(
        names("camb_api_ext/struct.DubOutput.html", field),
        ["DubResult"]
    );

    let variant = r##"<section id="variant.Finished" class="variant"><a href="#variant.Finished" class="anchor">§</a><h3 class="code-header">Finished</h3></section><div class="docblock"><p>See <code>Camb::result</code>.</p></div><div class="sub-variant" id="variant.Finished.fields"><h4>Fields</h4><div class="sub-variant-field"><span id="variant.Finished.field.outcome" class="section-header"><a href="#variant.Finished.field.outcome" class="anchor field">§</a><code>outcome: <a class="enum" href="https://doc.rust-lang.org/core/result/enum.Result.html">Result</a>&lt;DubOutputs, <a class="enum" href="enum.Error.html">Error</a>&gt;</code></span><div class="docblock"><p>The <code>Content-Type</code> or <code>None</code>.</p></div></div></div>"##;
    assert_eq!(
        names("camb_api_ext/enum.DubEvent.html", variant),
        ["DubOutputs"]
    );
}

#[test]
fn a_tuple_variant_is_named_by_its_header_and_its_payload_is_checked() {
    let variant = r##"<section id="variant.Audio" class="variant"><a href="#variant.Audio" class="anchor">§</a><h3 class="code-header">Audio(SpeechChunk)</h3></section>"##;
    assert_eq!(
        names("camb_api_ext/enum.SpeechEvent.html", variant),
        ["SpeechChunk"]
    );
}

#[test]
fn generics_bindings_self_and_associated_types_are_not_types_to_link() {
    let header = r##"<section class="method"><h4 class="code-header">pub fn <a href="#method.wait_for_tasks" class="fn">wait_for_tasks</a>&lt;F, Fut, I&gt;(&amp;self, ids: I, build: impl <a class="trait" href="x">FnOnce</a>(F::<a class="associatedtype" href="x">Create</a>) -&gt; Fut) -&gt; impl <a class="trait" href="x">Iterator</a>&lt;Item = <a class="struct" href="x">TaskId</a>&gt; + '_ <span class="where fmt-newline">where F: <a class="trait" href="x">Task</a>&lt;ErrorBody = <a class="struct" href="x">HttpValidationError</a>&gt;, Self: <a class="trait" href="x">Sized</a>, &lt;F as <a class="trait" href="x">Task</a>&gt;::Created: <a class="trait" href="x">Serialize</a></span></h4></section>"##;
    assert_eq!(
        names("camb_api_ext/struct.Camb.html", header),
        Vec::<String>::new()
    );

    let impl_header = r##"<section class="impl"><h3 class="code-header">impl&lt;K: <a class="trait" href="x">Send</a> + 'static&gt; <a class="trait" href="x">Iterator</a> for <a class="struct" href="x">DubAll</a>&lt;K&gt;</h3></section>"##;
    assert_eq!(
        names("camb_api_ext/struct.DubAll.html", impl_header),
        Vec::<String>::new()
    );
}

#[test]
fn impls_rustdoc_adds_for_other_crates_traits_are_skipped() {
    let blanket = r##"<h2 id="blanket-implementations">Blanket Implementations</h2><div id="blanket-implementations-list"><section class="impl"><h3 class="code-header">impl&lt;T&gt; Instrument for T</h3></section><section class="method"><h4 class="code-header">fn <a href="x">instrument</a>(self, span: Span) -&gt; Instrumented&lt;Self&gt;</h4></section></div>"##;
    assert_eq!(
        names("camb_api_ext/struct.Camb.html", blanket),
        Vec::<String>::new()
    );
    let auto = r##"<div id="synthetic-implementations-list"><section class="impl"><h3 class="code-header">impl Freeze for Private</h3></section></div>"##;
    assert_eq!(
        names("camb_api_ext/struct.Camb.html", auto),
        Vec::<String>::new()
    );
    // The same header among the type's own trait impls is checked.
    let own = r##"<div id="trait-implementations-list"><section class="impl"><h3 class="code-header">impl Instrument for <a class="struct" href="x">Camb</a></h3></section></div>"##;
    assert_eq!(names("camb_api_ext/struct.Camb.html", own), ["Instrument"]);
}

#[test]
fn declarations_skip_the_declared_name_and_a_constant_s_value() {
    let alias = r##"<pre class="rust item-decl"><code>pub type OutputFormat = AltFormatOutputFormat;</code></pre>"##;
    assert_eq!(
        names("camb_api_ext/type.OutputFormat.html", alias),
        ["AltFormatOutputFormat"]
    );
    let function = r##"<pre class="rust item-decl"><code>pub fn status_sequence&lt;'a&gt;(server: &amp;'a MockServer, task_id: &amp;<a class="struct" href="x">TaskId</a>) -&gt; Mock&lt;'a&gt;</code></pre>"##;
    assert_eq!(
        names("camb_api_ext/mock/fn.status_sequence.html", function),
        Vec::<String>::new()
    );
    let constant = r##"<section class="associatedconstant"><h4 class="code-header">const <a href="x">RESULTS</a>: <a class="enum" href="x">Option</a>&lt;<a class="primitive" href="x">usize</a>&gt; = None</h4></section>"##;
    assert_eq!(
        names("camb_api_ext/tasks/enum.Dub.html", constant),
        Vec::<String>::new()
    );
    // A struct's declaration is not read: its public fields are.
    let strukt = r##"<pre class="rust item-decl"><code>pub struct DubOutput { pub raw: DubResult }</code></pre>"##;
    assert_eq!(
        names("camb_api_ext/struct.DubOutput.html", strukt),
        Vec::<String>::new()
    );
}
