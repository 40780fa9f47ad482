//! Freed memory holds no secret: a global allocator scans every block the
//! core frees while a plaintext and a SecureString value travel from JSON
//! requests through KMS and Parameter Store and back. Secret types zeroize
//! themselves, and the base64 text a plaintext arrives in is wiped once
//! decoded. (The caller's own request text and any JSON it renders from a
//! response are the caller's to wipe.)
//!
//! One test in its own binary: the allocator sees every thread's frees.

mod common;

use common::*;
use kms_core::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const MARKER: &[u8] = b"zqHEAPSECRETzqHEAPSECRET";
/// `MARKER` in base64, as a JSON request carries it.
const MARKER_B64: &[u8] = b"enFIRUFQU0VDUkVUenFIRUFQU0VDUkVU";

static ARMED: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);

struct Scanning;

fn holds(block: &[u8], needle: &[u8]) -> bool {
    block.windows(needle.len()).any(|w| w == needle)
}

unsafe impl GlobalAlloc for Scanning {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.load(Ordering::SeqCst) {
            // SAFETY: the block is still allocated and `layout.size()` long.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            if holds(block, MARKER) || holds(block, MARKER_B64) {
                FOUND.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanning = Scanning;

fn call_json(world: &mut World, caller: &Caller, json: String) -> Outcome {
    let request = Request::from_json(&json).expect("a valid request");
    let outcome = world.call(caller.clone(), request);
    // The caller's own text: wiped by the caller.
    let mut json = json;
    zeroize::Zeroize::zeroize(&mut json);
    outcome
}

#[test]
fn freed_memory_holds_no_plaintext_nor_securestring_value() {
    use base64::Engine;
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .encode(MARKER)
            .as_bytes(),
        MARKER_B64
    );
    let mut world = world();
    let admin = root(PROD);
    let key = create_key(&mut world, &admin);
    let marker = std::str::from_utf8(MARKER).unwrap();
    let b64 = std::str::from_utf8(MARKER_B64).unwrap();

    ARMED.store(true, Ordering::SeqCst);
    let encrypted = call_json(
        &mut world,
        &admin,
        format!(
            r#"{{"Action": "kms:Encrypt", "Parameters": {{"KeyId": "{}", "Plaintext": "{b64}", "EncryptionContext": {{"app": "heap"}}}}}}"#,
            key.key_id
        ),
    );
    let Ok(Response::Encrypt(e)) = encrypted.result else {
        panic!("Encrypt failed")
    };
    let decrypted = world.call(
        admin.clone(),
        decrypt_request(&e.ciphertext_blob, &ctx(&[("app", "heap")])),
    );
    let Ok(Response::Decrypt(d)) = &decrypted.result else {
        panic!("Decrypt failed")
    };
    assert_eq!(d.plaintext.expose(), MARKER);
    drop(decrypted);
    let put = call_json(
        &mut world,
        &admin,
        format!(
            r#"{{"Action": "ssm:PutParameter", "Parameters": {{"Name": "/app/secret", "Type": "SecureString", "KeyId": "{}", "Value": "{marker}"}}}}"#,
            key.key_id
        ),
    );
    assert!(put.result.is_ok(), "{:?}", put.result);
    let got = call_json(
        &mut world,
        &admin,
        r#"{"Action": "ssm:GetParameter", "Parameters": {"Name": "/app/secret", "WithDecryption": true}}"#.into(),
    );
    assert!(format!("{:?}", got.result).contains("SecretString"));
    drop(got);
    // The world itself (its log holds the requests) is freed too.
    drop(world);
    ARMED.store(false, Ordering::SeqCst);
    assert_eq!(
        FOUND.load(Ordering::SeqCst),
        0,
        "freed blocks held the plaintext or its base64"
    );
}
