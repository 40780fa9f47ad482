//! Criterion benchmarks of the reference workloads (`kms_core::workloads`),
//! each through the public API. `cargo xtask bench` runs them with the
//! browser's and prints both side by side.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn workloads(c: &mut Criterion) {
    let mut group = c.benchmark_group("kms");
    for workload in kms_core::workloads::all() {
        if let Some(bytes) = workload.bytes_per_op {
            group.throughput(Throughput::Bytes(bytes));
        } else {
            group.throughput(Throughput::Elements(1));
        }
        // Prepared only when selected: some setups (50,000 grants) take seconds.
        group.bench_function(workload.name, |b| {
            let mut operation = (workload.prepare)();
            b.iter(&mut operation)
        });
    }
    group.finish();
}

criterion_group!(benches, workloads);
criterion_main!(benches);
