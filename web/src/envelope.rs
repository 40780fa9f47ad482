//! The envelope, drawn: for GenerateDataKey, Encrypt, Decrypt and ReEncrypt,
//! the KMS key (and its backing-key version) → the data key (plaintext
//! shown, then discarded) → the encrypted data key → the encrypted data, the
//! encryption context as the lock's AAD, and the blob's bytes with each
//! field of its format labelled. And for a Decrypt that KMS allowed but
//! whose blob did not open: the context given beside the context bound.

use crate::ids::short_id;
use kms_core::crypto::context::EncryptionContext;
use kms_core::crypto::data::DataCipher;
use kms_core::kms::envelope::{Envelope, EnvelopeCall};
use kms_core::kms::integrity::ContextMismatch;
use kms_core::secret::SecretBytes;
use leptos::prelude::*;

/// Key/value pairs as a learner reads them: `tenant = acme, purpose = invoice`,
/// or `(none)`.
pub fn pairs_text<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let text = pairs
        .into_iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    if text.is_empty() {
        "(none)".into()
    } else {
        text
    }
}

fn context(c: &EncryptionContext) -> String {
    pairs_text(c.pairs())
}

/// A plaintext as a learner typed it: text when it is printable UTF-8,
/// with its hex a click away; hex otherwise (a data key is random bytes).
fn readable(bytes: &[u8]) -> impl IntoView + use<> {
    let text = core::str::from_utf8(bytes)
        .ok()
        .filter(|t| !t.is_empty() && t.chars().all(|c| !c.is_control() || c == '\n'));
    let hex_toggle = text.is_some().then(|| {
        view! { <details class="hex"><summary>"hex"</summary><code class="wrap">{hex::encode(bytes)}</code></details> }
    });
    let shown = text.map_or_else(|| hex::encode(bytes), str::to_string);
    view! { <code class="secret">{shown}</code> {hex_toggle} }
}

fn arrow(arrow: &'static str) -> impl IntoView {
    view! { <span class="arrow" aria-hidden="true">{arrow}</span> }
}

fn blob_box(e: &Envelope) -> impl IntoView + use<> {
    let data_key = e.is_data_key();
    view! {
        <div class="box blob">
            <strong>{if data_key { "Encrypted data key (CiphertextBlob)" } else { "CiphertextBlob" }}</strong>
            {data_key.then(|| view! { <span class="note">"store it beside the encrypted data"</span> })}
            <span class="lock" data-testid="envelope-aad">"🔒 AAD: encryption context " <code>{context(&e.context)}</code></span>
        </div>
    }
}

/// The rows of the diagram: where the blob comes from and what the call
/// makes; a data key takes two rows (it encrypts the data, and KMS
/// encrypts it), so each arrow starts where it should.
fn rows(e: &Envelope) -> impl IntoView + use<> {
    let plaintext = e.plaintext.as_ref().map(|p| p.expose().to_vec());
    let data_key = e.is_data_key();
    let source = e.source_key_arn.as_ref().map(|source| {
        let was = context(e.source_context.as_ref().unwrap_or(&e.context));
        view! {
            <div class="box key" data-testid="envelope-source">
                <strong>"Source KMS key"</strong> " " <code>{short_id(source).to_string()}</code>
                <span class="lock">"🔒 was bound to " <code>{was}</code></span>
            </div>
            {arrow("→")}
        }
    });
    let key = view! {
        <div class="box key">
            <strong>{if e.call == EnvelopeCall::ReEncrypt { "Destination KMS key" } else { "KMS key" }}</strong>
            " " <code>{short_id(&e.key_arn).to_string()}</code>
            <span class="note" data-testid="envelope-version">{format!("backing-key version {}", e.backing_version)}</span>
        </div>
        {arrow("→")}
    };
    let data_key_box = data_key.then(|| {
        let (secret, note) = match &plaintext {
            Some(p) => (Some(hex::encode(p)), "kept in memory only, then discarded"),
            None => (None, "no plaintext: WithoutPlaintext"),
        };
        let secret = secret.map(|h| {
            view! { <code class="secret discarded" title="Use it, then drop it: only the encrypted copy is stored">{h}</code> }
        });
        view! {
            <div class="box" data-testid="envelope-data-key">
                <strong>"Data key (plaintext)"</strong> " " {secret} <span class="note">{note}</span>
            </div>
        }
    });
    let encrypted_data = (data_key && plaintext.is_some()).then(|| {
        view! {
            {arrow("→")}
            <div class="box" data-testid="envelope-encrypted-data">
                <strong>"Encrypted data"</strong>
                <span class="note">"your application encrypts its data with the plaintext data key (AES-256-GCM, a fresh IV each time), outside KMS"</span>
            </div>
        }
    });
    let text = matches!(e.call, EnvelopeCall::Decrypt | EnvelopeCall::Encrypt).then(|| {
        let bytes = plaintext.clone().unwrap_or_default();
        view! {
            <div class="box" data-testid="envelope-plaintext"><strong>"Plaintext"</strong> " " {readable(&bytes)}</div>
            {arrow(if e.call == EnvelopeCall::Decrypt { "←" } else { "→" })}
        }
    });
    let blob_in_first_row = (!data_key).then(|| blob_box(e));
    let second_row = data_key.then(|| {
        view! {
            <div class="flow">
                <div class="box key"><strong>"The same data key"</strong>
                    <span class="note">"encrypted by KMS under the KMS key, returned with it"</span>
                </div>
                {arrow("→")}
                {blob_box(e)}
            </div>
        }
    });
    view! {
        <div class="flow">{source} {key} {data_key_box} {encrypted_data} {text} {blob_in_first_row}</div>
        {second_row}
    }
}

/// The blob's bytes, field by field, labelled as the simulator's format.
fn fields(e: &Envelope) -> impl IntoView + use<> {
    let bytes = &e.blob;
    let rows = e
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let part = &bytes[f.range.clone()];
            let shown = if part.len() > 24 {
                format!("{}…", hex::encode(&part[..24]))
            } else {
                hex::encode(part)
            };
            view! {
                <tr class=format!("f{}", i % 5)>
                    <td>{format!("{}–{}", f.range.start, f.range.end - 1)}</td>
                    <td>{f.name}</td>
                    <td><code>{shown}</code></td>
                    <td>{f.meaning.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <details class="blob-fields">
            <summary>{format!("The blob, {} bytes, field by field (the simulator's own format)", bytes.len())}</summary>
            <p class="note" data-testid="blob-format-note">"AWS does not document the format of its ciphertext blobs. This layout is the simulator's: it carries what KMS must know to decrypt (which key, which backing-key version, the IV and the tag), so you can see where each part lives; a real blob is different."</p>
            <p class="note">"Base64 (what the API returns): " <code class="wrap">{kms_core::base64_blob::encode(bytes)}</code></p>
            <table>
                <thead><tr><th>"Bytes"</th><th>"Field"</th><th>"Hex"</th><th>"Meaning"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </details>
    }
}

/// The diagram of one cryptographic call.
#[component]
pub fn EnvelopeView(envelope: Envelope) -> impl IntoView {
    view! {
        <div class="envelope" data-testid="envelope">
            {rows(&envelope)}
            {fields(&envelope)}
        </div>
    }
}

/// A Decrypt KMS allowed whose blob did not open: the two layers, and the
/// context given beside the context bound, from CloudTrail.
#[component]
pub fn IntegrityView(mismatch: ContextMismatch) -> impl IntoView {
    let found = mismatch.bound.is_some();
    let rows = mismatch
        .pairs
        .into_iter()
        .map(|p| {
            let differs = p.differs();
            let none = || String::from("(absent)");
            view! {
                <tr class:differs=differs data-testid=if differs { "pair-differs" } else { "pair-same" }>
                    <th scope="row"><code>{p.key}</code></th>
                    <td><code>{p.given.unwrap_or_else(none)}</code></td>
                    <td><code>{p.bound.unwrap_or_else(none)}</code></td>
                </tr>
            }
        })
        .collect_view();
    let source = match mismatch.bound {
        Some(b) => format!(
            "The context bound at encryption comes from the CloudTrail record of the {} that made this blob (eventID {}, {}, by {}): CloudTrail logs the encryption context of every call, and the simulator checked that this one opens the blob.",
            b.event_name, b.event_id, b.event_time, b.caller
        ),
        None => String::from(
            "No CloudTrail record still in the trail has a context that opens this blob: it was made with a context the trail no longer holds, or it was altered.",
        ),
    };
    view! {
        <div class="integrity" data-testid="integrity">
            <ol class="layers">
                <li class="ok" data-testid="layer-permission">"✓ Permission: the policies allow " <code>"kms:Decrypt"</code> " on " <code>{short_id(&mismatch.key_arn).to_string()}</code> " (the why is below)."</li>
                <li class="bad" data-testid="layer-integrity">"✗ Integrity: AES-GCM's tag check fails, because the encryption context is part of the authenticated data and this one is not the context the blob was bound to."</li>
            </ol>
            <table class="context-compare">
                <thead><tr><th>"Key"</th><th>"This Decrypt gave"</th><th>{if found { "Bound at encryption" } else { "Bound at encryption (not found)" }}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note" data-testid="bound-source">{source}</p>
            <p class="note" data-testid="aws-never-tells">"AWS itself never tells you which context was expected: the error is the same InvalidCiphertextException as for a corrupt blob. Look it up in CloudTrail, as here, or in your own code."</p>
        </div>
    }
}

/// Asks KMS to decrypt a stored data key (its blob and the context it was
/// bound to); answers the plaintext data key, or the AWS error as text.
pub type DecryptDataKey = Callback<(Vec<u8>, EncryptionContext), Result<SecretBytes, String>>;

/// The application's side of envelope encryption, to try: encrypt your own
/// text locally with the plaintext data key, see the pair an application
/// stores (encrypted data + encrypted data key), then get the data key back
/// through KMS's Decrypt and open the data with it.
#[component]
pub fn LocalEnvelope(
    envelope: Envelope,
    decrypt: DecryptDataKey,
    note: &'static str,
) -> impl IntoView {
    let data_key = envelope.plaintext_data_key().cloned();
    let blob = envelope.blob.clone();
    let context = envelope.context.clone();
    let text = RwSignal::new(String::from("Alice, Bob, Charlie"));
    let sealed = RwSignal::new(None::<Vec<u8>>);
    let opened = RwSignal::new(None::<Result<String, String>>);
    let encrypt = move |_| {
        let Some(key) = &data_key else { return };
        let mut iv = [0u8; 12];
        if getrandom::fill(&mut iv).is_err() {
            return;
        }
        if let Ok(cipher) = DataCipher::new(key) {
            sealed.set(Some(cipher.seal(iv, b"", text.get_untracked().as_bytes())));
            opened.set(None);
        }
    };
    let decrypt_back = move |_| {
        let Some(data) = sealed.get_untracked() else {
            return;
        };
        let result = decrypt
            .run((blob.clone(), context.clone()))
            .and_then(|key| {
                let cipher = DataCipher::new(&key).map_err(|e| format!("{e:?}"))?;
                let plain = cipher
                    .open(b"", &data)
                    .map_err(|_| String::from("the data did not open with that key"))?;
                Ok(String::from_utf8_lossy(plain.expose()).into_owned())
            });
        opened.set(Some(result));
    };
    let blob_len = envelope.blob.len();
    let stored = move || {
        sealed.get().map(|data| {
            view! {
                <div class="stored" data-testid="local-stored">
                    <p class="label">"What your application stores, side by side (the plaintext data key is dropped):"</p>
                    <p>"Encrypted data (IV, ciphertext, tag): " <code class="wrap">{kms_core::base64_blob::encode(&data)}</code></p>
                    <p>{format!("Encrypted data key: the CiphertextBlob above ({blob_len} bytes).")}</p>
                </div>
            }
        })
    };
    let result = move || {
        opened.get().map(|r| match r {
            Ok(text) => view! { <p class="ok" data-testid="local-result">{format!("KMS returned the data key, and your data opens: \u{201c}{text}\u{201d}")}</p> },
            Err(e) => view! { <p class="bad" data-testid="local-result">{format!("Decrypt failed, so the data stays sealed: {e}")}</p> },
        })
    };
    view! {
        <div class="local-loop" data-testid="local-loop">
            <p class="label">"Try the application's side"</p>
            <div class="local-form">
                <input aria-label="Your data" data-testid="local-text" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))/>
                <button data-testid="local-encrypt" on:click=encrypt>"Encrypt locally with the data key"</button>
            </div>
            {stored}
            <button data-testid="local-decrypt" disabled=move || sealed.with(Option::is_none) on:click=decrypt_back>
                "Decrypt the data key through KMS, then the data"
            </button>
            {result}
            <p class="note">{note}</p>
        </div>
    }
}
