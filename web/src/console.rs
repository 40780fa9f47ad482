//! The console: pick an operation, fill its form (or edit its JSON), send it
//! as any principal, directly or through a service. The JSON is the truth;
//! the form is a view of its `Parameters`.

use crate::session::Session;
use kms_core::Request;
use leptos::prelude::*;
use serde_json::{Map, Value};

/// The console's inputs; they outlive re-renders of the stage.
#[derive(Clone, Copy)]
pub struct Console {
    /// The principal ARN.
    pub actor: RwSignal<String>,
    /// The service the call goes through (`rds.amazonaws.com`), or empty.
    pub via: RwSignal<String>,
    /// The request JSON.
    pub request: RwSignal<String>,
}

impl Console {
    /// The console as a fresh page shows it: root of production, CreateKey.
    pub fn new() -> Self {
        Self {
            actor: RwSignal::new(String::from("arn:aws:iam::111122223333:root")),
            via: RwSignal::new(String::new()),
            request: RwSignal::new(request_text("kms:CreateKey", &Fill::default())),
        }
    }

    /// Sends a request as the console's principal (the policy editor and
    /// the psql prompt use it too), returning the error if it failed.
    pub fn send(&self, session: Session, request: &str) -> Option<kms_core::KmsError> {
        let (actor, via) = (self.actor.get_untracked(), self.via.get_untracked());
        let mut error = None;
        session.free.update(|f| {
            if let Some(f) = f {
                error = f.send(&actor, &via, request).error.clone();
            }
        });
        error
    }
}

impl Default for Console {
    fn default() -> Self {
        Self::new()
    }
}

/// Values from the world that make a template runnable as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// The newest customer managed key's id.
    pub key: String,
    /// The caller's account.
    pub account: String,
    /// The newest ciphertext blob the console received.
    pub blob: String,
}

impl Default for Fill {
    fn default() -> Self {
        Self {
            key: "alias/my-key".into(),
            account: "111122223333".into(),
            blob: "AQICAHh0aGlzIGlzIG5vdCBhIHJlYWwgYmxvYg==".into(),
        }
    }
}

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole"}]}"#;

/// The request JSON for `action`, filled from the world.
pub fn request_text(action: &str, fill: &Fill) -> String {
    let escape = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let escaped = |s: &str| {
        let quoted = escape(s);
        quoted[1..quoted.len() - 1].to_string()
    };
    let parameters = Request::example(action)
        .unwrap_or(r#"{"KeyId": "KEY"}"#)
        .replace("POLICY", &escaped(POLICY))
        .replace("TRUST", &escaped(TRUST))
        .replace("KEY", &escaped(&fill.key))
        .replace("ACCOUNT", &escaped(&fill.account))
        .replace("BLOB", &escaped(&fill.blob));
    let value = serde_json::json!({
        "Action": action,
        "Parameters": serde_json::from_str::<Value>(&parameters).unwrap_or_default(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The parameter typed as text in the form and sent as base64.
pub const TEXT_FIELD: &str = "Plaintext";

/// Base64 that holds printable UTF-8, as that text.
fn as_text(base64: &str) -> Option<String> {
    let bytes = kms_core::base64_blob::decode(base64)?;
    String::from_utf8(bytes)
        .ok()
        .filter(|t| t.chars().all(|c| !c.is_control() || c == '\n'))
}

/// The form's fields: each parameter and its value as the input shows it.
pub fn fields(request: &str) -> Option<Vec<(String, String)>> {
    let value: Value = serde_json::from_str(request).ok()?;
    let parameters = value.get("Parameters").and_then(Value::as_object)?;
    Some(
        parameters
            .iter()
            .map(|(k, v)| {
                let shown = match v {
                    // A plaintext is typed as text; the form does the base64.
                    Value::String(s) if k == TEXT_FIELD => as_text(s).unwrap_or_else(|| s.clone()),
                    Value::String(s) => s.clone(),
                    // Left out: an empty input.
                    Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.clone(), shown)
            })
            .collect(),
    )
}

/// The request with one parameter set from its input: text stays text
/// where the parameter was text, anything else is read as JSON if it can be;
/// an emptied input of a parameter that is not text (an encryption context,
/// a number of days) leaves the parameter out (`null`), as the CLI does
/// without its option.
pub fn set_field(request: &str, name: &str, input: &str) -> Option<String> {
    let mut value: Value = serde_json::from_str(request).ok()?;
    let parameters: &mut Map<String, Value> = value.get_mut("Parameters")?.as_object_mut()?;
    let new = match parameters.get(name) {
        _ if name == TEXT_FIELD => Value::String(kms_core::base64_blob::encode(input.as_bytes())),
        Some(Value::String(_)) | None => Value::String(input.to_string()),
        Some(_) if input.trim().is_empty() => Value::Null,
        Some(_) => serde_json::from_str(input).unwrap_or_else(|_| Value::String(input.to_string())),
    };
    parameters.insert(name.to_string(), new);
    serde_json::to_string_pretty(&value).ok()
}

/// What the world offers to fill a template.
fn fill_from(session: Session, console: Console) -> Fill {
    let mut fill = Fill::default();
    session.with_world(|w| {
        if let Some(k) = w
            .state()
            .kms
            .keys
            .values()
            .filter(|k| k.manager == kms_core::kms::api::KeyManager::CUSTOMER)
            .max_by_key(|k| k.created)
        {
            fill.key = k.id.to_string();
        } else if let Some((id, _)) = w
            .state()
            .kms
            .deleted
            .iter()
            .max_by_key(|(_, d)| d.deleted_at)
        {
            // The key the learner was using is gone for good: name it
            // still, so that KMS says so, rather than a made-up alias.
            fill.key = id.to_string();
        }
    });
    if let Some(account) = console.actor.get_untracked().split(':').nth(4)
        && !account.is_empty()
    {
        fill.account = account.to_string();
    }
    session.free.with_untracked(|f| {
        let blob = f.as_ref().and_then(|f| {
            f.results.iter().rev().find_map(|r| {
                r.response
                    .as_ref()?
                    .get("CiphertextBlob")?
                    .as_str()
                    .map(String::from)
            })
        });
        if let Some(blob) = blob {
            fill.blob = blob;
        }
    });
    fill
}

/// The console itself.
#[component]
pub fn ConsoleView(
    /// The session the requests go to.
    session: Session,
    /// The console's inputs.
    console: Console,
) -> impl IntoView {
    // Grouped by family, in the order the families first appear.
    let mut families: Vec<&'static str> = Vec::new();
    for action in Request::ACTIONS {
        let family = Request::family(action);
        if !families.contains(&family) {
            families.push(family);
        }
    }
    let options = families
        .into_iter()
        .map(|family| {
            let actions = Request::ACTIONS
                .iter()
                .filter(|a| Request::family(a) == family)
                .map(|a| view! { <option value=*a>{*a}</option> })
                .collect_view();
            view! { <optgroup label=family>{actions}</optgroup> }
        })
        .collect_view();
    let current_action = move || {
        serde_json::from_str::<Value>(&console.request.get())
            .ok()
            .and_then(|v| v.get("Action").and_then(Value::as_str).map(String::from))
            .unwrap_or_default()
    };
    let choose = move |ev| {
        let action = event_target_value(&ev);
        console
            .request
            .set(request_text(&action, &fill_from(session, console)));
    };
    let form = move || {
        match fields(&console.request.get()) {
        None => view! { <p class="note" data-testid="form-note">"Fix the JSON below to use the form."</p> }.into_any(),
        Some(fields) => fields
            .into_iter()
            .map(|(name, value)| {
                let field = name.clone();
                view! {
                    <label class="field">
                        <span>{if name == TEXT_FIELD { format!("{name} (text; sent as base64)") } else { name.clone() }}</span>
                        <input data-testid=format!("field-{name}") prop:value=value spellcheck="false"
                            on:change=move |ev| {
                                let input = event_target_value(&ev);
                                if let Some(text) = console.request.with_untracked(|r| set_field(r, &field, &input)) {
                                    console.request.set(text);
                                }
                            }/>
                    </label>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    let send = move |_| {
        let request = console.request.get_untracked();
        console.send(session, &request);
    };
    view! {
        <div class="console">
            <div class="console-row">
                <label>"As "
                    <input data-testid="actor" aria-label="Principal ARN" prop:value=move || console.actor.get()
                        on:input=move |ev| console.actor.set(event_target_value(&ev))/>
                </label>
                <label>"via "
                    <select data-testid="via" aria-label="Through a service" on:change=move |ev| console.via.set(event_target_value(&ev))>
                        <option value="" selected=move || console.via.get().is_empty()>"(directly)"</option>
                        <option value="rds.amazonaws.com" selected=move || console.via.get() == "rds.amazonaws.com">"RDS"</option>
                        <option value="ssm.amazonaws.com" selected=move || console.via.get() == "ssm.amazonaws.com">"SSM"</option>
                    </select>
                </label>
            </div>
            <label class="field">
                <span>"Operation"</span>
                <select data-testid="operation" prop:value=current_action on:change=choose>{options}</select>
            </label>
            <div class="form" data-testid="form">{form}</div>
            <details class="json-editor">
                <summary>"Request JSON"</summary>
                <textarea data-testid="request" aria-label="Request (AWS JSON)" rows="8" spellcheck="false"
                    prop:value=move || console.request.get()
                    on:input=move |ev| console.request.set(event_target_value(&ev))></textarea>
            </details>
            <button class="primary" data-testid="send" on:click=send>"Send"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_template_that_parses() {
        let fill = Fill {
            key: "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
            ..Fill::default()
        };
        for action in Request::ACTIONS {
            let text = request_text(action, &fill);
            let request = Request::from_json(&text).unwrap_or_else(|e| panic!("{action}: {e}"));
            assert_eq!(request.action(), *action);
        }
    }

    #[test]
    fn the_form_edits_the_json() {
        let text = request_text("kms:ScheduleKeyDeletion", &Fill::default());
        let shown = fields(&text).unwrap();
        assert_eq!(shown[0], ("KeyId".into(), "alias/my-key".into()));
        assert_eq!(shown[1], ("PendingWindowInDays".into(), "7".into()));
        let text = set_field(&text, "PendingWindowInDays", "30").unwrap();
        let text = set_field(&text, "KeyId", "alias/other").unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["Parameters"]["PendingWindowInDays"], 30);
        assert_eq!(value["Parameters"]["KeyId"], "alias/other");
        assert!(fields("{not json").is_none());
    }

    #[test]
    fn an_emptied_context_is_no_context() {
        let text = request_text("kms:Encrypt", &Fill::default());
        let text = set_field(&text, "EncryptionContext", "  ").unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["Parameters"]["EncryptionContext"], Value::Null);
        let shown = fields(&text).unwrap();
        assert!(shown.contains(&("EncryptionContext".into(), String::new())));
        let request: kms_core::kms::api::EncryptRequest =
            serde_json::from_value(value["Parameters"].clone()).unwrap();
        assert_eq!(request.encryption_context, None);
        // And typed again, it is a context again.
        let text = set_field(&text, "EncryptionContext", r#"{"tenant": "acme"}"#).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["Parameters"]["EncryptionContext"]["tenant"], "acme");
    }

    #[test]
    fn a_plaintext_is_typed_as_text_and_sent_as_base64() {
        let text = request_text("kms:Encrypt", &Fill::default());
        let shown = fields(&text).unwrap();
        let plaintext = shown.iter().find(|(k, _)| k == TEXT_FIELD).unwrap();
        assert_eq!(
            plaintext.1, "hello, world",
            "the template's base64, read as text"
        );
        let text = set_field(&text, TEXT_FIELD, "my secret").unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["Parameters"]["Plaintext"], "bXkgc2VjcmV0");
        assert_eq!(
            fields(&text)
                .unwrap()
                .iter()
                .find(|(k, _)| k == TEXT_FIELD)
                .unwrap()
                .1,
            "my secret"
        );
    }
}
