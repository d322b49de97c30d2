//! Transparent huge pages for ONNX Runtime's working memory.
//!
//! One click on a 4 MP photo touches about 500 MiB that ONNX Runtime's arena takes from glibc's
//! malloc: some 164 000 page faults in 4 KiB pages. Where the kernel gives huge pages only on
//! request (`transparent_hugepage/enabled` is `madvise`, Debian's default), glibc asks for them
//! only when its `glibc.malloc.hugetlb=1` tunable is set, and tunables are read once, at start-up.
//! So the CLI starts itself again with the tunable added to `GLIBC_TUNABLES`: about 10 000 faults,
//! 0.13 s of system time instead of 0.38, 0.97x the CPU time of one click (docs/PERFORMANCE.md).
//! The library cannot do this for its host; a program that links it can set the tunable the
//! same way (README "Command line").

use std::ffi::OsString;

/// The glibc tunable that makes malloc advise huge pages for its large mappings (glibc 2.35+;
/// older ones ignore it).
pub const TUNABLE: &str = "glibc.malloc.hugetlb";

/// Set to any value to keep 4 KiB pages (the CLI then does not start itself again).
pub const OPT_OUT: &str = "AUTORESTORE_NO_HUGE_PAGES";

/// The kernel's transparent huge page mode, the bracketed word of
/// `/sys/kernel/mm/transparent_hugepage/enabled` (`always`, `madvise` or `never`).
pub fn kernel_mode() -> Option<String> {
    let s = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
    let start = s.find('[')? + 1;
    let end = start + s[start..].find(']')?;
    Some(s[start..end].to_string())
}

/// What the CLI's memory uses, for `autorestore info`.
pub fn describe() -> String {
    let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    match kernel_mode().as_deref() {
        None => "4 KiB pages (no transparent huge pages in this kernel)".into(),
        Some("always") => "transparent huge pages (kernel: always)".into(),
        Some("madvise") if tunable_value(&tunables).is_some_and(|v| v != "0") => {
            format!("transparent huge pages (kernel: madvise, {TUNABLE} set)")
        }
        Some(mode) => format!("4 KiB pages (kernel: {mode}, {TUNABLE} off)"),
    }
}

/// The value `GLIBC_TUNABLES` (`name=value:name=value...`) gives the huge page tunable.
fn tunable_value(tunables: &str) -> Option<&str> {
    tunables
        .split(':')
        .find_map(|t| t.strip_prefix(TUNABLE)?.strip_prefix('='))
}

fn has_tunable(tunables: &str) -> bool {
    tunable_value(tunables).is_some()
}

/// `GLIBC_TUNABLES` with the huge page tunable added, or None when this process should not
/// start itself again: the tunable is already there (set by the user, or by the first start),
/// the kernel gives huge pages anyway or never, the user opted out, or the variable is not UTF-8.
fn tunables_to_add(
    current: Option<OsString>,
    mode: Option<&str>,
    opted_out: bool,
) -> Option<String> {
    if opted_out || mode != Some("madvise") {
        return None;
    }
    let current = match current {
        Some(v) => v.into_string().ok()?,
        None => String::new(),
    };
    if has_tunable(&current) {
        return None;
    }
    Some(if current.is_empty() {
        format!("{TUNABLE}=1")
    } else {
        format!("{current}:{TUNABLE}=1")
    })
}

/// Starts this program again with the tunable set, when that helps; returns (and the CLI goes on
/// with 4 KiB pages) when it does not or the start fails. Call first thing in `main`, before
/// any thread or file is opened.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn restart_with_huge_pages() {
    use std::os::unix::process::CommandExt;

    let Some(value) = tunables_to_add(
        std::env::var_os("GLIBC_TUNABLES"),
        kernel_mode().as_deref(),
        std::env::var_os(OPT_OUT).is_some(),
    ) else {
        return;
    };
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_default();
    // exec replaces the process (same pid, same open descriptors) and only returns on failure
    let _ = std::process::Command::new("/proc/self/exe")
        .arg0(arg0)
        .args(args)
        .env("GLIBC_TUNABLES", value)
        .exec();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn restart_with_huge_pages() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_tunable_once() {
        assert_eq!(
            tunables_to_add(None, Some("madvise"), false).as_deref(),
            Some("glibc.malloc.hugetlb=1")
        );
        assert_eq!(
            tunables_to_add(
                Some("glibc.malloc.arena_max=2".into()),
                Some("madvise"),
                false
            )
            .as_deref(),
            Some("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")
        );
        // the second start (or a user's own choice, 0 included) is left as it is
        assert_eq!(
            tunables_to_add(
                Some("glibc.malloc.hugetlb=1".into()),
                Some("madvise"),
                false
            ),
            None
        );
        assert_eq!(
            tunables_to_add(
                Some("a.b=1:glibc.malloc.hugetlb=0".into()),
                Some("madvise"),
                false
            ),
            None
        );
    }

    #[test]
    fn restarts_only_where_it_helps() {
        assert_eq!(tunables_to_add(None, Some("always"), false), None);
        assert_eq!(tunables_to_add(None, Some("never"), false), None);
        assert_eq!(tunables_to_add(None, None, false), None);
        assert_eq!(tunables_to_add(None, Some("madvise"), true), None);
    }

    #[test]
    fn a_similar_name_is_not_the_tunable() {
        assert!(!has_tunable("glibc.malloc.hugetlbx=1"));
        assert_eq!(tunable_value("x.y=2:glibc.malloc.hugetlb=2"), Some("2"));
    }
}
