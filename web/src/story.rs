//! Story mode: a built-in scenario played step by step.

use kms_core::scenario::{Scenario, ScenarioRun, StepResult};

/// Where a story came from: what a link to it must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A built-in scenario, by id.
    Builtin(String),
    /// A scenario file at a URL.
    Url(String),
    /// A scenario whose text the learner gave (a file, or a link carrying it).
    Text(String),
}

/// A scenario being followed. Going back replays from the seed: the world is
/// exactly the replay of its steps, so undo is exact.
pub struct Story {
    scenario: Scenario,
    run: ScenarioRun,
    /// Where it came from.
    pub origin: Origin,
    /// Which story this is on screen: new for each story opened, kept
    /// when going back, so the page rebuilds only what changed.
    pub serial: u64,
}

/// A number not given before, for [`Story::serial`] and
/// [`crate::free::FreePlay::serial`].
pub fn next_serial() -> u64 {
    use core::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Story {
    /// Starts `scenario` from its seed, or says why it cannot start (the
    /// core decides: an invalid scenario, or a setup step that fails).
    pub fn start(scenario: &Scenario, origin: Origin) -> Result<Self, String> {
        let run = ScenarioRun::start(scenario).map_err(|e| e.0)?;
        Ok(Self {
            scenario: scenario.clone(),
            run,
            origin,
            serial: next_serial(),
        })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The run so far.
    pub fn run(&self) -> &ScenarioRun {
        &self.run
    }

    /// Plays the next step.
    pub fn next(&mut self) {
        self.run.step();
    }

    /// Plays every remaining step.
    pub fn run_to_end(&mut self) {
        self.run.run_to_end();
    }

    /// Undoes the last step by replaying the others from the seed.
    pub fn back(&mut self) {
        let target = self.run.position().saturating_sub(1);
        // The scenario started once, so it starts again the same way.
        if let Ok(story) = Story::at(&self.scenario, self.origin.clone(), target) {
            let serial = self.serial;
            *self = story;
            self.serial = serial;
        }
    }

    /// Starts `scenario` and plays its first `steps` steps (all of them if
    /// there are fewer).
    pub fn at(scenario: &Scenario, origin: Origin, steps: usize) -> Result<Self, String> {
        let mut story = Story::start(scenario, origin)?;
        for _ in 0..steps.min(scenario.steps.len()) {
            story.next();
        }
        Ok(story)
    }

    /// The results of the steps played.
    pub fn results(&self) -> &[StepResult] {
        self.run.results()
    }

    /// The narration of the next step, if any.
    pub fn upcoming(&self) -> Option<&str> {
        self.scenario
            .steps
            .get(self.run.position())
            .map(|s| s.narration.as_str())
    }
}
