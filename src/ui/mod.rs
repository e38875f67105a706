//! The window: panels, canvas, keyboard, transport. Uses the session and the scenes' panels;
//! nothing imports it.

pub mod app;
pub mod canvas;
pub mod transport;

pub use app::App;

/// Keeps freed memory in the process instead of returning it to the system after every frame.
///
/// Each frame builds meshes of hundreds of thousands of vertices and frees them after
/// tessellation. With glibc's defaults a free at the top of the heap trims it, and the next
/// frame faults the same pages in again: measured here, a 10,000-point HNSW frame took 28 ms
/// instead of 6 ms (`cargo bench --bench explorer`). Call once at start; a no-op elsewhere.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any other thread
    // exists and takes plain integers.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 512 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 << 20);
    }
}

/// The fonts the window draws with: egui's own, with Hack (which has ⌊ ⌋ ▷ ← and the other
/// signs of the pseudocode and narration) as the last fallback of the proportional family too.
pub fn font_definitions() -> egui::FontDefinitions {
    let mut defs = egui::FontDefinitions::default();
    if let Some(p) = defs.families.get_mut(&egui::FontFamily::Proportional)
        && !p.iter().any(|n| n == "Hack")
    {
        p.push("Hack".into());
    }
    defs
}
