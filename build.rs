//! Rebuild when the built-in packs change: they are embedded with `include_dir!`.
fn main() {
    println!("cargo:rerun-if-changed=content");
    println!("cargo:rerun-if-changed=assets");
}
