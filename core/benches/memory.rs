//! Memory a world holds after 1,000,000 audited calls, measured with a
//! counting allocator. The audit trail keeps the most recent events (a ring
//! of `audit::DEFAULT_CAPACITY`), so memory is bounded when the request log
//! is off; with the log on, it grows by the bytes per call printed here.

use kms_core::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held_after(calls: usize, record_log: bool) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    let account = AccountId::parse("111122223333").unwrap();
    let mut config = WorldConfig::from_seed([3; 32]);
    config.record_log = record_log;
    let mut world = World::new(config);
    world.add_account(account.clone(), "production").unwrap();
    let root = Caller::new(
        Principal::Root(account),
        Region::parse("eu-west-1").unwrap(),
    );
    let Ok(Response::KeyMetadata(m)) = world
        .call(
            root.clone(),
            Request::CreateKey(CreateKeyRequest::default()),
        )
        .result
    else {
        panic!()
    };
    let key_id = m.key_metadata.unwrap().key_id;
    let request = Request::Encrypt(EncryptRequest {
        key_id,
        plaintext: SecretBytes::new(vec![1; 32]),
        ..Default::default()
    });
    for _ in 0..calls {
        assert!(world.call(root.clone(), request.clone()).result.is_ok());
    }
    let held = LIVE.load(Ordering::Relaxed) - before;
    drop(world);
    held
}

fn main() {
    // `cargo bench` passes flags such as --bench; `--quick` shortens the run.
    let quick = std::env::args().any(|a| a == "--quick");
    let calls = if quick { 100_000 } else { 1_000_000 };
    let bounded = held_after(calls, false);
    let sample = if quick { 20_000 } else { 100_000 };
    let with_log = held_after(sample, true);
    let without_log = held_after(sample, false);
    let per_call = with_log.saturating_sub(without_log) / sample;
    println!("MEMORY calls={calls} held_bytes={bounded} log_bytes_per_call={per_call}");
}
