//! What this machine has, to bound `--threads` and `--jobs`: a value above it only costs
//! memory (each ONNX Runtime thread and each concurrent image has its own buffers).

/// Logical cores available to this process.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `asked` bounded to the cores, with a message when it was lowered (0 stays 0: automatic).
pub fn bound(option: &str, asked: usize, max: usize, why: &str) -> usize {
    if asked > max {
        eprintln!("autorestore: {option} {asked} is more than {max} ({why}); using {max}");
        max
    } else {
        asked
    }
}

/// Memory the kernel says can be had without swapping (`MemAvailable`), if it says.
pub fn available_memory() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Memory one image in flight may take: a 24 MP photo peaked at 629 MiB and a 100 MP one at
/// 1.19 GB (README "Reliability"); this leaves room for camera-sized images.
pub const MEMORY_PER_JOB: u64 = 1536 << 20;

/// Most images at once on one engine: its session pool is at most 4, and each job needs at least
/// one core and [`MEMORY_PER_JOB`].
pub fn max_jobs() -> usize {
    let by_memory = available_memory().map_or(usize::MAX, |m| (m / MEMORY_PER_JOB) as usize);
    cores().min(4).min(by_memory).max(1)
}
