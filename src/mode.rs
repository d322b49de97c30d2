//! Which experts restore an image, and the one table of mode names: the Rust API
//! ([`Mode::from_name`]), the CLI's `--mode` choices and the C functions
//! (`autorestore_mode_from_name`, the `AutorestoreMode` values) all read [`MODES`].

use crate::error::{err, Result};
use crate::ffi::AutorestoreMode;

/// Which experts to use.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// The analysis decides.
    Auto,
    /// One degradation group by name (`noise`, `blur`, `haze`, `lowlight`, `rain`).
    Only(String),
    /// A weight per degradation group (normalised to sum 1).
    Mix(Vec<f32>),
}

/// A named mode: its C value, its name, other spellings accepted, and the degradation group it
/// restores (`None`: the analysis decides).
pub struct ModeName {
    /// Its C value, which is also its index in [`MODES`].
    pub c: AutorestoreMode,
    /// The canonical lower-case name (the CLI's `--mode` value, `autorestore_mode_from_name`).
    pub name: &'static str,
    /// Other lower-case spellings [`lookup`] accepts.
    pub aliases: &'static [&'static str],
    /// The degradation group (a name of `autorestore.degradations`) it restores alone; `None`
    /// for auto.
    pub group: Option<&'static str>,
}

/// Every named mode (AUTORESTORE_MODE_CUSTOM has no name: it carries weights).
pub const MODES: &[ModeName] = &[
    ModeName {
        c: AutorestoreMode::AUTORESTORE_MODE_AUTO,
        name: "auto",
        aliases: &[],
        group: None,
    },
    ModeName {
        c: AutorestoreMode::AUTORESTORE_MODE_DENOISE,
        name: "denoise",
        aliases: &["noise"],
        group: Some("noise"),
    },
    ModeName {
        c: AutorestoreMode::AUTORESTORE_MODE_DEBLUR,
        name: "deblur",
        aliases: &["blur"],
        group: Some("blur"),
    },
    ModeName {
        c: AutorestoreMode::AUTORESTORE_MODE_DEHAZE,
        name: "dehaze",
        aliases: &["haze"],
        group: Some("haze"),
    },
    ModeName {
        c: AutorestoreMode::AUTORESTORE_MODE_LOWLIGHT,
        name: "lowlight",
        aliases: &["low-light"],
        group: Some("lowlight"),
    },
    ModeName {
        c: AutorestoreMode::AUTORESTORE_MODE_DERAIN,
        name: "derain",
        aliases: &["rain"],
        group: Some("rain"),
    },
];

// The table is indexed by C value: entry i is AutorestoreMode value i.
const _: () = {
    let mut i = 0;
    while i < MODES.len() {
        assert!(MODES[i].c as usize == i);
        i += 1;
    }
    assert!(MODES.len() - 1 <= crate::model::MAX_DEGRADATIONS);
};

/// The mode names, in C order ("auto", "denoise", ...).
pub fn names() -> impl Iterator<Item = &'static str> {
    MODES.iter().map(|m| m.name)
}

/// The table entry for a name or alias (case and surrounding space ignored).
pub fn lookup(name: &str) -> Result<&'static ModeName> {
    let key = name.trim().to_ascii_lowercase();
    MODES
        .iter()
        .find(|m| m.name == key || m.aliases.contains(&key.as_str()))
        .ok_or_else(|| {
            let all: Vec<&str> = names().collect();
            err!(InvalidArgument, "unknown mode {key:?} ({})", all.join(", "))
        })
}

/// The table entry for a raw C value, if it is a named mode.
pub fn by_code(raw: u32) -> Option<&'static ModeName> {
    MODES.get(raw as usize)
}

impl ModeName {
    /// The Rust mode this name stands for.
    pub fn mode(&self) -> Mode {
        match self.group {
            None => Mode::Auto,
            Some(g) => Mode::Only(g.to_string()),
        }
    }
}

impl Mode {
    /// Parses a CLI/C mode name: `auto`, `denoise`, `deblur`, `dehaze`, `lowlight`, `derain`
    /// (or a group's name: `noise`, `blur`, ...).
    pub fn from_name(name: &str) -> Result<Mode> {
        lookup(name).map(ModeName::mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_parse_to_their_group() {
        assert_eq!(Mode::from_name(" Auto ").unwrap(), Mode::Auto);
        assert_eq!(
            Mode::from_name("noise").unwrap(),
            Mode::from_name("denoise").unwrap()
        );
        assert_eq!(
            Mode::from_name("low-light").unwrap(),
            Mode::Only("lowlight".into())
        );
        let e = Mode::from_name("sharpen").unwrap_err();
        assert!(e.message().contains("auto, denoise, deblur"), "{e}");
        assert!(by_code(AutorestoreMode::AUTORESTORE_MODE_CUSTOM as u32).is_none());
    }
}
