//! Entry point of the wasm binary that Trunk builds from `index.html`.

fn main() {
    kms_web::start();
}
