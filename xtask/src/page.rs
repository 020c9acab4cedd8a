//! Reading an upstream page: a docs page (markdown with the OpenAPI document in
//! a fenced yaml block), a YAML file or a JSON file.

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// How a page's text holds its OpenAPI document, told by the file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageFormat {
    /// A docs page: the document is in a fenced ```` ```yaml ```` block.
    Markdown,
    /// A YAML file.
    Yaml,
    /// A JSON file.
    Json,
}

impl PageFormat {
    /// The format of a file called `name`, from its extension.
    pub fn of_file(name: &str) -> Result<Self> {
        let extension = name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        match extension.as_deref() {
            Some("md" | "mdx" | "markdown") => Ok(Self::Markdown),
            Some("yaml" | "yml") => Ok(Self::Yaml),
            Some("json") => Ok(Self::Json),
            _ => bail!(
                "cannot tell the format of {name:?}: expected a .md, .yaml, .yml or .json file name"
            ),
        }
    }
}

/// Parses the OpenAPI document out of page `name`.
pub fn parse_page(name: &str, text: &str) -> Result<Value> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = match PageFormat::of_file(name)? {
        PageFormat::Json => serde_json::from_str(text).context("not valid JSON")?,
        PageFormat::Yaml => parse_yaml(text)?,
        PageFormat::Markdown => {
            let block = openapi_block(text)?;
            parse_yaml(&block.text).with_context(|| {
                format!(
                    "in the fenced yaml block that starts at line {}",
                    block.first_line
                )
            })?
        }
    };
    if !doc.get("openapi").is_some_and(Value::is_string) {
        bail!("{name} does not hold an OpenAPI document (no `openapi` version at its top level)");
    }
    Ok(doc)
}

/// Parses YAML text into JSON values. Duplicate keys are errors.
pub fn parse_yaml(text: &str) -> Result<Value> {
    serde_saphyr::from_str(text).map_err(|e| anyhow::anyhow!("not valid YAML: {e}"))
}

/// A fenced code block's content and the line (1-based) its content starts on.
#[derive(Debug, PartialEq, Eq)]
struct FencedBlock {
    text: String,
    first_line: usize,
}

/// Finds the one fenced yaml block that holds an OpenAPI document.
fn openapi_block(markdown: &str) -> Result<FencedBlock> {
    let mut candidates: Vec<FencedBlock> = yaml_blocks(markdown)
        .into_iter()
        .filter(|block| block.text.lines().any(|line| line.starts_with("openapi:")))
        .collect();
    match candidates.len() {
        1 => Ok(candidates.remove(0)),
        0 => bail!("no fenced ```yaml block with an `openapi:` document in this page"),
        n => bail!("{n} fenced yaml blocks hold an `openapi:` document; expected exactly one"),
    }
}

/// The fenced code blocks (CommonMark rules) whose info string starts with
/// `yaml` or `yml`, e.g. docs pages' ```` ````yaml get /dub/{task_id} ````.
fn yaml_blocks(markdown: &str) -> Vec<FencedBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<(Fence, Option<FencedBlock>)> = None;
    for (index, line) in markdown.lines().enumerate() {
        match &mut open {
            None => {
                if let Some(fence) = Fence::opening(line) {
                    let block = fence.is_yaml.then(|| FencedBlock {
                        text: String::new(),
                        first_line: index + 2,
                    });
                    open = Some((fence, block));
                }
            }
            Some((fence, block)) => {
                if fence.is_closed_by(line) {
                    blocks.extend(block.take());
                    open = None;
                } else if let Some(block) = block {
                    block.text.push_str(fence.strip_indent(line));
                    block.text.push('\n');
                }
            }
        }
    }
    // An unclosed fence runs to the end of the document (CommonMark).
    blocks.extend(open.and_then(|(_, block)| block));
    blocks
}

/// An opening code fence: its character, length and indentation.
#[derive(Debug)]
struct Fence {
    marker: char,
    length: usize,
    indent: usize,
    is_yaml: bool,
}

impl Fence {
    fn opening(line: &str) -> Option<Self> {
        let (indent, rest) = split_indent(line)?;
        let marker = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let length = rest.chars().take_while(|&c| c == marker).count();
        let info = rest[length..].trim();
        if length < 3 || (marker == '`' && info.contains('`')) {
            return None;
        }
        let language = info.split_whitespace().next().unwrap_or("");
        Some(Self {
            marker,
            length,
            indent,
            is_yaml: language.eq_ignore_ascii_case("yaml") || language.eq_ignore_ascii_case("yml"),
        })
    }

    fn is_closed_by(&self, line: &str) -> bool {
        let Some((_, rest)) = split_indent(line) else {
            return false;
        };
        let length = rest.chars().take_while(|&c| c == self.marker).count();
        length >= self.length && rest[length..].trim().is_empty()
    }

    /// Content lines lose up to as many leading spaces as the fence had.
    fn strip_indent<'a>(&self, line: &'a str) -> &'a str {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        &line[spaces.min(self.indent)..]
    }
}

/// Splits off up to three spaces of indentation; `None` for deeper indents
/// (an indented code block, not a fence).
fn split_indent(line: &str) -> Option<(usize, &str)> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    (indent <= 3).then_some((indent, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PAGE: &str = "# Title\n\n```python theme={null}\nprint('```yaml')\n```\n\n\
        ````yaml get /dub/{task_id}\nopenapi: 3.1.0\ninfo:\n  title: T\n```\nnot: closed\n````\n";

    #[test]
    fn finds_the_openapi_yaml_block_of_a_docs_page() {
        let block = openapi_block(PAGE).unwrap();
        assert_eq!(block.first_line, 8);
        assert_eq!(
            block.text,
            "openapi: 3.1.0\ninfo:\n  title: T\n```\nnot: closed\n"
        );
    }

    #[test]
    fn parses_a_docs_page() {
        let page = "intro\n\n```yaml\nopenapi: 3.1.0\npaths: {}\n```\n";
        assert_eq!(
            parse_page("status.md", page).unwrap(),
            json!({"openapi": "3.1.0", "paths": {}})
        );
    }

    #[test]
    fn an_indented_fence_and_tildes_work() {
        let page = "  ~~~yml\n  openapi: 3.1.0\n  paths: {}\n  ~~~\n";
        assert_eq!(
            parse_page("p.md", page).unwrap(),
            json!({"openapi": "3.1.0", "paths": {}})
        );
    }

    #[test]
    fn other_yaml_blocks_are_ignored() {
        let page = "```yaml\nsome: [example\n```\n```yaml\nopenapi: 3.1.0\n```\n";
        assert_eq!(
            parse_page("p.md", page).unwrap(),
            json!({"openapi": "3.1.0"})
        );
    }

    #[test]
    fn a_page_without_a_block_is_an_error() {
        let error = parse_page("p.md", "# nothing here\n```json\n{}\n```\n").unwrap_err();
        assert!(
            error.to_string().contains("no fenced ```yaml block"),
            "{error}"
        );
    }

    #[test]
    fn a_page_with_two_openapi_blocks_is_an_error() {
        let page = "```yaml\nopenapi: 3.1.0\n```\n```yaml\nopenapi: 3.1.0\n```\n";
        let error = parse_page("p.md", page).unwrap_err();
        assert!(
            error.to_string().contains("2 fenced yaml blocks"),
            "{error}"
        );
    }

    #[test]
    fn yaml_errors_say_which_line_the_block_starts_on() {
        let page = "text\n```yaml\nopenapi: 3.1.0\npaths: [\n```\n";
        let error = format!("{:#}", parse_page("p.md", page).unwrap_err());
        assert!(error.contains("starts at line 3"), "{error}");
        assert!(error.contains("not valid YAML"), "{error}");
    }

    #[test]
    fn duplicate_yaml_keys_are_an_error_not_a_silent_overwrite() {
        let error = parse_page("p.yaml", "openapi: 3.1.0\npaths: {}\npaths: {}\n").unwrap_err();
        assert!(error.to_string().contains("duplicate"), "{error}");
    }

    #[test]
    fn yaml_and_json_files_parse() {
        let expected = json!({"openapi": "3.1.0", "paths": {"/a": {}}});
        assert_eq!(
            parse_page("a.yml", "openapi: 3.1.0\npaths:\n  /a: {}\n").unwrap(),
            expected
        );
        assert_eq!(
            parse_page(
                "a.json",
                "\u{feff}{\"openapi\": \"3.1.0\", \"paths\": {\"/a\": {}}}"
            )
            .unwrap(),
            expected
        );
    }

    #[test]
    fn a_document_without_an_openapi_version_is_rejected() {
        let error = parse_page("a.json", "{\"paths\": {}}").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("does not hold an OpenAPI document")
        );
        assert!(parse_page("a.json", "[1]").is_err());
    }

    #[test]
    fn unknown_extensions_are_an_error() {
        let error = parse_page("page.html", "<html>").unwrap_err();
        assert!(
            error.to_string().contains("cannot tell the format"),
            "{error}"
        );
        assert!(parse_page("no-extension", "").is_err());
    }
}
