//! `sysdeck completions` and `sysdeck man`: the command line described for shells and for man.

use std::path::PathBuf;

use clap::{Args, ValueHint};

#[derive(Debug, Args)]
#[command(after_help = "Install it where the shell looks, for example:\n  \
bash: sysdeck completions bash > ~/.local/share/bash-completion/completions/sysdeck\n  \
zsh:  sysdeck completions zsh > ~/.zfunc/_sysdeck   (with fpath+=~/.zfunc before compinit)\n  \
fish: sysdeck completions fish > ~/.config/fish/completions/sysdeck.fish")]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "Read it with `sysdeck man | man -l -`.")]
pub struct ManArgs {
    /// Write one page per command into DIR (sysdeck.1, sysdeck-pack.1, sysdeck-pack-new.1, ...)
    /// instead of printing the main page
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    pub out: Option<PathBuf>,
}
