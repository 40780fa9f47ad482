//! The reference workloads (`kms_core::workloads`) timed in headless
//! Chromium. Run by `cargo xtask bench`, which reads the `BENCH` lines and
//! sets `KMS_BENCH_QUICK` for a short run.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn browser_benchmarks() {
    let budget_ms = if option_env!("KMS_BENCH_QUICK").is_some() {
        150.0
    } else {
        2000.0
    };
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        panic!("no window.performance to time with");
    };
    let now_ms = || performance.now();
    for workload in kms_core::workloads::all() {
        let mut operation = (workload.prepare)();
        // Reading the clock is a call into JavaScript that costs about as
        // much as a small decision, so operations are timed in batches
        // (criterion batches iterations natively for the same reason),
        // sized while warming up so that a batch lasts at least 1 ms.
        // Warm up for a while, not once: Chromium runs wasm with a baseline
        // compiler first and optimizes hot code later.
        let mut batch = 1u64;
        let warm = now_ms();
        while now_ms() - warm < budget_ms / 4.0 {
            let t = now_ms();
            for _ in 0..batch {
                operation();
            }
            if now_ms() - t < 1.0 {
                batch *= 2;
            }
        }
        let start = now_ms();
        let mut runs = 0u64;
        while runs == 0 || now_ms() - start < budget_ms {
            for _ in 0..batch {
                operation();
            }
            runs += batch;
        }
        let per_second = runs as f64 / ((now_ms() - start) / 1000.0);
        assert!(
            per_second.is_finite() && per_second > 0.0,
            "{}: {per_second}",
            workload.name
        );
        wasm_bindgen_test::console_log!("BENCH\t{}\t{per_second:.3}", workload.name);
    }
}
