//! Every built-in scenario, replayed in headless Chromium: the same list and
//! runner as the native suite (`core/tests/scenarios.rs`).
#![cfg(target_arch = "wasm32")]

use kms_core::scenario::{ScenarioRun, builtin};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_builtin_scenario_passes_in_the_browser() {
    for scenario in builtin::all().expect("built-in scenarios parse") {
        let mut run = ScenarioRun::start(&scenario).expect("scenario starts");
        for result in run.run_to_end() {
            assert!(
                result.passed,
                "{} step {}: {}",
                scenario.id,
                result.index + 1,
                result.failures.join("; ")
            );
        }
    }
}
