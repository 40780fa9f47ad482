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
    /// Why the scenario could not start, if it could not.
    pub error: Option<String>,
}

impl Story {
    /// Starts `scenario` from its seed.
    pub fn start(scenario: &Scenario, origin: Origin) -> Self {
        match ScenarioRun::start(scenario) {
            Ok(run) => Self {
                scenario: scenario.clone(),
                run,
                origin,
                error: None,
            },
            Err(e) => {
                // A scenario whose setup fails still shows, with the reason.
                let empty = Scenario {
                    setup: Vec::new(),
                    ..scenario.clone()
                };
                let run = ScenarioRun::start(&empty)
                    .unwrap_or_else(|_| unreachable!("a scenario without setup starts"));
                Self {
                    scenario: scenario.clone(),
                    run,
                    origin,
                    error: Some(e.0),
                }
            }
        }
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
        *self = Story::at(&self.scenario, self.origin.clone(), target);
    }

    /// Starts `scenario` and plays its first `steps` steps (all of them if
    /// there are fewer).
    pub fn at(scenario: &Scenario, origin: Origin, steps: usize) -> Self {
        let mut story = Story::start(scenario, origin);
        for _ in 0..steps.min(scenario.steps.len()) {
            story.next();
        }
        story
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
