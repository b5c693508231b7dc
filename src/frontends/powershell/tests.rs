use super::*;
use crate::classify::FileKind;
use crate::levels::Context;
use crate::source::SourceFile;

fn facts(text: &str) -> FileFacts {
    FileFacts::extract(
        SourceFile::new("scripts/reset.ps1", text),
        FileKind::PowerShell,
        Context::Production,
    )
}

#[test]
fn dump_lowered() {
    let Ok(path) = std::env::var("PS_LOWER") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let (out, problems) = lower(&text);
    println!("{}\n---- {problems:?}", out.text);
    let f = facts(&text);
    for c in &f.shell.commands {
        let words: Vec<String> = c.argv.iter().map(|w| w.display()).collect();
        println!(
            "{}: {:?} via {:?} `{}`",
            f.file.position(c.span.start()).line,
            words,
            c.via,
            f.file.slice(c.span)
        );
    }
    for r in &f.regions {
        println!("region {:?} {:?}", f.file.slice(r.span), r.guard);
    }
    println!("{:?}", f.notices);
}
