//! The policy workbench: paste Terraform, get the world it builds (through
//! the ordinary requests, so it can be played as a story), the advisor's
//! findings on each key policy, the access matrix of a key with the trace
//! of any cell, and what a draft key policy would open before it is saved.
//!
//! Its own page and wasm (`workbench.html`): the HCL parser and the
//! workbench do not weigh on the playground's first load. Everything it
//! shows is computed by `kms-core` and `kms-terraform`; the decision trace
//! is the playground's own view.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod challenges;
mod key;

use key::{IdentityView, KeyView};
use kms_core::kms::api::KeyManager;
use kms_core::kms::policy_text::pretty_text;
use kms_core::policy::PolicyKind;
use kms_core::prelude::*;
use kms_core::scenario::ScenarioRun;
use kms_core::workbench::advisor::{Finding, advise, advise_key_policy};
use kms_terraform::{Options, TerraformError, Translation, build};
use leptos::prelude::*;
use std::sync::Arc;

/// The seed article's Terraform, as its test fixture keeps it.
const SEED: &str = include_str!("../../terraform/tests/seeds/terraform-kms-key.tf");

/// The seed article's Terraform as a learner starts from it: as written,
/// with its account-id placeholder, under a comment saying so (the
/// fixture's own header is for the tests).
pub fn example() -> String {
    let body: String = SEED
        .lines()
        .skip_while(|l| l.starts_with("# "))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "# A practitioner's article creates this key for EBS, RDS and EFS.\n# [アカウントID] stands for an account id: build it as is, then put yours.\n{body}"
    )
}

/// Mounts the workbench into the page body.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Workbench);
}

/// A key of the built world.
#[derive(Clone)]
pub(crate) struct KeyRow {
    arn: String,
    /// Its Terraform address, or its id.
    label: String,
    policy: String,
    findings: Vec<Finding>,
}

/// An inline identity policy of the built world.
#[derive(Clone)]
pub(crate) struct IdentityRow {
    /// The user's or role's ARN.
    identity: String,
    name: String,
    policy: String,
    findings: Vec<Finding>,
}

/// What a successful build produced.
pub(crate) struct Built {
    translation: Translation,
    world: World,
    keys: Vec<KeyRow>,
    identities: Vec<IdentityRow>,
    /// Each resource and the actions of its steps.
    resources: Vec<(String, usize, Vec<&'static str>)>,
}

impl Built {
    fn of(translation: Translation, run: ScenarioRun) -> Built {
        let root = format!("arn:aws:iam::{}:root", translation.scenario.accounts[0].id);
        // Each key's Terraform address, from the response of the step
        // that created it.
        let addresses: Vec<(String, String)> = translation
            .resources
            .iter()
            .filter(|r| r.address.starts_with("aws_kms_key."))
            .filter_map(|r| {
                let response = run.results().get(r.steps.start)?.response.as_ref()?;
                let arn = response.pointer("/KeyMetadata/Arn")?.as_str()?;
                Some((arn.to_string(), r.address.clone()))
            })
            .collect();
        let mut world = run.into_world();
        // Looked at once new grants are in effect (they take effect a few
        // minutes after CreateGrant); the page says so.
        let _ = world.advance(kms_core::kms::grants::GRANT_PROPAGATION_SECONDS);
        let mut keys = Vec::new();
        for key in world.state().kms.keys.values() {
            if key.manager != KeyManager::CUSTOMER {
                continue;
            }
            let arn = key.arn().to_string();
            let label = addresses
                .iter()
                .find(|(a, _)| *a == arn)
                .map_or_else(|| key.id.to_string(), |(_, address)| address.clone());
            let findings =
                advise_key_policy(&world, &arn, &root, &key.policy.text).unwrap_or_default();
            keys.push(KeyRow {
                arn,
                label,
                policy: pretty_text(&key.policy.text),
                findings,
            });
        }
        let mut identities = Vec::new();
        for account in world.state().iam.accounts.values() {
            let roles = account.roles.values().map(|r| &r.identity);
            for holder in account.users.values().chain(roles) {
                for (name, policy) in &holder.policies {
                    identities.push(IdentityRow {
                        identity: holder.arn.to_string(),
                        name: name.clone(),
                        policy: pretty_text(&policy.text),
                        findings: advise(&policy.text, PolicyKind::Identity).unwrap_or_default(),
                    });
                }
            }
        }
        let resources = translation
            .resources
            .iter()
            .map(|r| {
                let actions = translation.scenario.steps[r.steps.clone()]
                    .iter()
                    .filter_map(|s| s.request.as_ref()?["Action"].as_str())
                    .filter_map(|a| Request::ACTIONS.iter().copied().find(|k| *k == a))
                    .collect();
                (r.address.clone(), r.at.line, actions)
            })
            .collect();
        Built {
            translation,
            world,
            keys,
            identities,
            resources,
        }
    }
}

/// `principal` without `arn:aws:iam::<account>:`.
pub(crate) fn short_principal(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// The refused line, with a caret under the column.
fn pointer(text: &str, error: &TerraformError) -> Option<String> {
    let at = error.at?;
    let line = text.lines().nth(at.line.checked_sub(1)?)?;
    let caret: String = line
        .chars()
        .take(at.column.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    Some(format!("{:>4} | {line}\n     | {caret}^", at.line))
}

/// Where the workbench keeps the learner's configuration, account id and
/// whether it was built (`[text, account, built]`), so that playing the
/// world in the playground and coming Back loses nothing.
pub const KEPT_KEY: &str = "kms-playground-workbench";

/// What [`KEPT_KEY`] holds, if anything readable.
fn kept() -> Option<(String, String, bool)> {
    let text = kms_web::browser::load(KEPT_KEY)?;
    serde_json::from_str(&text).ok()
}

fn keep(text: &str, account: &str, built: bool) {
    // A configuration past the translator's limit is refused anyway.
    if text.len() <= kms_terraform::MAX_TEXT {
        let value = serde_json::json!([text, account, built]).to_string();
        kms_web::browser::save(KEPT_KEY, &value);
    }
}

/// The workbench page.
#[component]
pub fn Workbench() -> impl IntoView {
    let (kept_text, kept_account, was_built) =
        kept().unwrap_or_else(|| (String::new(), String::from("111122223333"), false));
    let text = RwSignal::new(kept_text);
    let account = RwSignal::new(kept_account);
    let built: RwSignal<Option<Arc<Built>>> = RwSignal::new(None);
    // The refusal and the refused line with its caret.
    let error: RwSignal<Option<(TerraformError, Option<String>)>> = RwSignal::new(None);
    let build_now = move || {
        let source = text.get_untracked();
        let options = Options {
            account: account.get_untracked(),
            ..Options::default()
        };
        let result = build(&source, &options);
        keep(&source, &options.account, result.is_ok());
        match result {
            Ok((translation, run)) => {
                error.set(None);
                built.set(Some(Arc::new(Built::of(translation, run))));
                kms_web::browser::reveal("[data-testid=built]");
            }
            Err(e) => {
                built.set(None);
                let shown = pointer(&source, &e);
                error.set(Some((e, shown)));
                kms_web::browser::reveal("[data-testid=terraform-error]");
            }
        }
    };
    let first = challenges::from_address();
    // Back from the playground: the world as it was (not for a challenge's link).
    if was_built && first.is_none() {
        build_now();
    }
    let run = move |_| build_now();
    let edited = move || {
        keep(
            &text.get_untracked(),
            &account.get_untracked(),
            built.with_untracked(Option::is_some),
        )
    };
    let example = move |_| {
        text.set(example());
        edited();
    };
    // What the learner means by typing an account id above a refused
    // placeholder: that id, everywhere the placeholder stands.
    let put_account = move |placeholder: String| {
        text.update(|t| *t = t.replace(&placeholder, &account.get_untracked()));
        edited();
        build_now();
    };
    let account_ok = move || kms_core::ids::AccountId::parse(&account.get()).is_ok();
    // `?embed`: a documentation page shows one challenge, without the
    // page's header, tabs or list.
    let embed = first.is_some() && kms_web::browser::query().split('&').any(|p| p == "embed");
    // 0: the Terraform workbench; 1: the challenges. Both stay mounted, so
    // switching keeps what the learner typed.
    let tab = RwSignal::new(usize::from(first.is_some()));
    let shown = move |i: usize| move || if tab.get() == i { "" } else { "none" };
    view! {
        <main class="workbench">
            <header class="wb-header" style:display=move || if embed { "none" } else { "" }>
                <h1>"Policy workbench"</h1>
                <p class="note">
                    "Paste a Terraform configuration: the workbench builds the world it describes through the ordinary AWS requests, "
                    "advises on each key policy, shows who may do what on each key and why, and what a draft policy would open before you save it. "
                    "Or take a challenge, and let the playground check your policy."
                </p>
                <a href="../" data-testid="to-playground">"Back to the playground"</a>
            </header>
            <nav class="wb-tabs" aria-label="Workbench or challenges" style:display=move || if embed { "none" } else { "" }>
                <button data-testid="tab-workbench" class:open=move || tab.get() == 0
                    on:click=move |_| tab.set(0)>"Terraform and what-if"</button>
                <button data-testid="tab-challenges" class:open=move || tab.get() == 1
                    on:click=move |_| tab.set(1)>"Challenges"</button>
            </nav>
            <div style:display=shown(1)><challenges::Challenges start=first embed=embed/></div>
            <div class="wb-stack" style:display=shown(0)>
            <section class="wb-input">
                <label for="terraform">"Terraform (aws_kms_key, aws_kms_alias, aws_kms_key_policy, aws_kms_grant, IAM roles, users and policies, aws_ssm_parameter, aws_rds_cluster, aws_ebs_volume)"</label>
                <textarea id="terraform" data-testid="terraform" rows="16" spellcheck="false"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        edited();
                    }></textarea>
                <div class="wb-row">
                    <label>"Account id "
                        <input data-testid="account" prop:value=move || account.get()
                            on:input=move |ev| {
                                account.set(event_target_value(&ev));
                                edited();
                            }/>
                    </label>
                    <button data-testid="example" on:click=example>"Load the article's example"</button>
                    <button class="primary" data-testid="build" on:click=run>"Build the world"</button>
                </div>
            </section>
            {move || error.get().map(|(refusal, pointer)| view! {
                <section class="wb-error" data-testid="terraform-error" role="alert">
                    <p>{refusal.to_string()}</p>
                    {pointer.map(|p| view! { <pre class="wb-pointer">{p}</pre> })}
                    {refusal.placeholder.map(|p| {
                        let label = p.clone();
                        view! {
                            <button data-testid="put-account" disabled=move || !account_ok()
                                on:click=move |_| put_account(p.clone())>
                                "Put "{move || account.get()}" in place of every "<code>{label}</code>" and build"
                            </button>
                            <span class="note" style:display=move || if account_ok() { "none" } else { "" }>
                                " (type a 12-digit account id in the Account id field first)"
                            </span>
                        }
                    })}
                </section>
            })}
            {move || built.get().map(|b| view! { <BuiltView built=b/> })}
            </div>
        </main>
    }
}

#[component]
fn BuiltView(built: Arc<Built>) -> impl IntoView {
    let resources = built
        .resources
        .iter()
        .map(|(address, line, actions)| {
            view! {
                <li><code>{address.clone()}</code>" (line "{*line}"): "{actions.join(", ")}</li>
            }
        })
        .collect_view();
    // Left out of the world, in the same list, so that every block of the
    // configuration is accounted for.
    let skipped = built
        .translation
        .skipped
        .iter()
        .map(|s| {
            view! {
                <li class="note" data-testid="skipped"><code>{s.address.clone()}</code>" (line "{s.at.line}"): skipped, the playground does not simulate this type"</li>
            }
        })
        .collect_view();
    let setup = built
        .translation
        .scenario
        .setup
        .iter()
        .map(|s| view! { <li>{s.narration.clone()}</li> })
        .collect_view();
    let story = RwSignal::new(None::<String>);
    {
        let scenario = serde_json::to_string(&built.translation.scenario).unwrap_or_default();
        leptos::task::spawn_local(async move {
            if let Ok(packed) = kms_web::browser::compress(scenario.as_bytes()).await {
                story.set(Some(format!("../#story={}", kms_web::share::seal(&packed))));
            }
        });
    }
    let keys = built
        .keys
        .iter()
        .map(|k| view! { <KeyView built=built.clone() key=k.clone()/> })
        .collect_view();
    let identities = built
        .identities
        .iter()
        .map(|i| view! { <IdentityView built=built.clone() row=i.clone()/> })
        .collect_view();
    view! {
        <section class="wb-built" data-testid="built">
            <h2>"The world"</h2>
            <ul class="wb-resources">{resources}{skipped}</ul>
            <ul class="wb-setup note">{setup}</ul>
            <p class="note">"The workbench answers as of a few minutes after apply, when new grants are in effect."</p>
            {move || story.get().map(|href| view! {
                <a href=href data-testid="play-story">"Play it step by step in the playground"</a>
            })}
        </section>
        {keys}
        {identities}
    }
}
