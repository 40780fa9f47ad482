//! Entry point of the workbench's wasm, which Trunk builds from
//! `workbench.html`.

fn main() {
    kms_workbench::start();
}
