//! `cargo xtask regen [--check] [--from FILE|URL]...`, `cargo xtask live-check`,
//! `cargo xtask test`, `cargo xtask doc-links`

use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use xtask::{
    fetch::fetch,
    regen::{self, CheckOutcome},
    workspace::Workspace,
};

const USAGE: &str = "\
usage: cargo xtask regen [--check | --refresh | --discover INDEX] [--from FILE|URL]... [--root DIR]

  (no option)      rebuild spec/generated from spec/upstream and spec/overlay,
                   and summarize what changed in spec/generated/openapi.json
  --from FILE|URL  vendor a docs page (markdown with a fenced yaml block), a YAML
                   or a JSON file into spec/upstream (repeatable), record it in
                   spec/upstream/sources.json, then rebuild
  --refresh        fetch again every page recorded in spec/upstream/sources.json
                   (from the URL or path it came from), then rebuild
  --discover INDEX list the API reference pages of CAMB.AI's llms.txt index
                   (URL or file, e.g. https://docs.camb.ai/llms.txt) not vendored yet
  --check          change nothing; exit 1 with a diff and a summary when
                   spec/generated is out of date
  --root DIR       work on the spec/ of another checkout (default: this workspace)

usage: cargo xtask live-check --help   (validate live answers against the spec)

usage: cargo xtask test [ARGS]...   (every crate alone: cargo test -p CRATE --all-features ARGS)

usage: cargo xtask doc-links   (cargo doc, then: every type a signature of camb-api-ext names links)";

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Regen(Workspace),
    Refresh(Workspace, Vec<String>),
    RefreshAll(Workspace),
    Discover(Workspace, String),
    Check(Workspace),
    LiveCheck(Vec<String>),
    Test(Vec<String>),
    DocLinks,
    Help,
}

fn parse_args(args: &[String]) -> Result<Command> {
    let Some((task, options)) = args.split_first() else {
        bail!("no task given");
    };
    match task.as_str() {
        "regen" => {}
        "live-check" => return Ok(Command::LiveCheck(options.to_vec())),
        "test" => return Ok(Command::Test(options.to_vec())),
        "doc-links" if options.is_empty() => return Ok(Command::DocLinks),
        "doc-links" => bail!("doc-links takes no options"),
        "help" | "--help" | "-h" => return Ok(Command::Help),
        other => bail!("unknown task {other:?}"),
    }
    let mut check = false;
    let mut refresh_all = false;
    let mut index = None;
    let mut froms = Vec::new();
    let mut workspace = regen::this_workspace();
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match option.as_str() {
            "--check" => check = true,
            "--refresh" => refresh_all = true,
            "--discover" => match options.next() {
                Some(from) => index = Some(from.clone()),
                None => bail!("--discover needs the index's FILE or URL"),
            },
            "--from" => match options.next() {
                Some(from) => froms.push(from.clone()),
                None => bail!("--from needs a FILE or URL"),
            },
            "--root" => match options.next() {
                Some(root) => workspace = Workspace::new(root),
                None => bail!("--root needs a directory"),
            },
            "--help" | "-h" => return Ok(Command::Help),
            other => match other.strip_prefix("--from=") {
                Some(from) => froms.push(from.to_owned()),
                None => bail!("unknown option {other:?}"),
            },
        }
    }
    match (check, refresh_all, index, froms.is_empty()) {
        (false, true, None, true) => return Ok(Command::RefreshAll(workspace)),
        (false, false, Some(index), true) => return Ok(Command::Discover(workspace, index)),
        (_, false, None, _) => {}
        _ => bail!("--check, --refresh, --discover and --from go one at a time"),
    }
    match (check, froms.is_empty()) {
        (true, false) => bail!("--check changes nothing, so it cannot be combined with --from"),
        (true, true) => Ok(Command::Check(workspace)),
        (false, true) => Ok(Command::Regen(workspace)),
        (false, false) => Ok(Command::Refresh(workspace, froms)),
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Help => println!("{USAGE}"),
        Command::LiveCheck(args) => {
            let spec = regen::this_workspace().openapi_31_file();
            return Ok(xtask::live_check::command(&args, &spec));
        }
        Command::Test(args) => return xtask::crates_alone::run(&args),
        Command::DocLinks => return xtask::doc_links::run(),
        Command::Regen(workspace) => print!("{}", regen::regen(&workspace)?),
        Command::Refresh(workspace, froms) => {
            let pages = froms
                .iter()
                .map(|from| fetch(from))
                .collect::<Result<Vec<_>>>()?;
            print!(
                "{}",
                regen::refresh(&workspace, pages, &regen::today_utc())?
            );
        }
        Command::RefreshAll(workspace) => print!(
            "{}",
            regen::refresh_all(&workspace, fetch, &regen::today_utc())?
        ),
        Command::Discover(workspace, index) => {
            print!("{}", regen::discover(&workspace, &fetch(&index)?.text)?);
        }
        Command::Check(workspace) => {
            let report = regen::check(&workspace)?;
            print!("{report}");
            if matches!(report.outcome, CheckOutcome::Stale { .. }) {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The arguments after the program name; non-UTF-8 ones are an error.
fn args() -> Result<Vec<String>> {
    std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| anyhow!("argument {arg:?} is not valid UTF-8"))
        })
        .collect()
}

fn main() -> ExitCode {
    let command = match args().and_then(|args| parse_args(&args)) {
        Ok(command) => command,
        Err(error) => {
            eprintln!("error: {error:#}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    run(command).unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::from(2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command> {
        parse_args(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn parses_the_command_line() {
        let here = regen::this_workspace();
        assert_eq!(parse(&["regen"]).unwrap(), Command::Regen(here.clone()));
        assert_eq!(
            parse(&["regen", "--check"]).unwrap(),
            Command::Check(here.clone())
        );
        assert_eq!(
            parse(&["regen", "--from", "a.md", "--from=https://x/b.md"]).unwrap(),
            Command::Refresh(here, vec!["a.md".into(), "https://x/b.md".into()])
        );
        assert_eq!(
            parse(&["regen", "--root", "/tmp/w", "--check"]).unwrap(),
            Command::Check(Workspace::new("/tmp/w"))
        );
        assert_eq!(
            parse(&["regen", "--refresh"]).unwrap(),
            Command::RefreshAll(regen::this_workspace())
        );
        assert_eq!(
            parse(&["regen", "--discover", "llms.txt"]).unwrap(),
            Command::Discover(regen::this_workspace(), "llms.txt".into())
        );
        assert_eq!(parse(&["help"]).unwrap(), Command::Help);
        assert_eq!(parse(&["doc-links"]).unwrap(), Command::DocLinks);
        assert!(parse(&["doc-links", "--fix"]).is_err());
    }

    #[test]
    fn rejects_bad_command_lines() {
        assert!(parse(&[]).is_err());
        assert!(parse(&["generate"]).is_err());
        assert!(parse(&["regen", "--from"]).is_err());
        assert!(parse(&["regen", "--root"]).is_err());
        assert!(parse(&["regen", "--verbose"]).is_err());
        assert!(parse(&["regen", "--check", "--from", "a.md"]).is_err());
        assert!(parse(&["regen", "--refresh", "--from", "a.md"]).is_err());
        assert!(parse(&["regen", "--refresh", "--check"]).is_err());
        assert!(parse(&["regen", "--discover"]).is_err());
        assert!(parse(&["regen", "--discover", "i.txt", "--refresh"]).is_err());
    }

    #[test]
    fn hands_test_its_arguments() {
        assert_eq!(
            parse(&["test", "--no-fail-fast"]).unwrap(),
            Command::Test(vec!["--no-fail-fast".into()])
        );
    }

    #[test]
    fn hands_live_check_its_arguments() {
        assert_eq!(
            parse(&["live-check", "--run-id", "7"]).unwrap(),
            Command::LiveCheck(vec!["--run-id".into(), "7".into()])
        );
    }
}
