//! The CLI starts itself again with glibc's huge page tunable where the kernel gives
//! transparent huge pages on request (src/bin/autorestore/huge_pages.rs): `autorestore info`
//! says which pages its memory uses, a user's own `GLIBC_TUNABLES` is kept, and the opt-out
//! keeps 4 KiB pages.
#![cfg(feature = "cli")]

mod cli_support;
mod common;

use cli_support::*;

fn memory_line(envs: &[(&str, &str)]) -> String {
    let o = cli("info").envs(envs.iter().copied()).output().unwrap();
    succeeded(&o);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    out.lines()
        .find_map(|l| l.strip_prefix("memory"))
        .unwrap_or_else(|| panic!("no memory line in {out:?}"))
        .trim()
        .to_string()
}

fn kernel_mode() -> Option<String> {
    let s = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").ok()?;
    Some(s.split('[').nth(1)?.split(']').next()?.to_string())
}

#[test]
fn huge_pages_where_the_kernel_gives_them_on_request() {
    let line = memory_line(&[]);
    match kernel_mode().as_deref() {
        Some("madvise") => {
            assert_eq!(
                line,
                "transparent huge pages (kernel: madvise, glibc.malloc.hugetlb set)"
            );
            // the opt-out and a user's own choice are kept: no restart
            let off = "4 KiB pages (kernel: madvise, glibc.malloc.hugetlb off)";
            assert_eq!(memory_line(&[("AUTORESTORE_NO_HUGE_PAGES", "1")]), off);
            assert_eq!(
                memory_line(&[("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0")]),
                off
            );
            // with other tunables of the user's, it still restarts (appending its own)
            let o = cli("info")
                .env("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")
                .output()
                .unwrap();
            succeeded(&o);
            assert!(String::from_utf8_lossy(&o.stdout).contains("hugetlb set"));
        }
        Some("always") => assert_eq!(line, "transparent huge pages (kernel: always)"),
        Some(mode) => assert_eq!(
            line,
            format!("4 KiB pages (kernel: {mode}, glibc.malloc.hugetlb off)")
        ),
        None => assert!(line.starts_with("4 KiB pages"), "{line}"),
    }
}
