//! The envelope, drawn: for GenerateDataKey, Encrypt, Decrypt and ReEncrypt,
//! the KMS key (and its backing-key version) → the data key (plaintext
//! shown, then discarded) → the encrypted data key → the encrypted data, the
//! encryption context as the lock's AAD, and the blob's bytes with each
//! field of its format labelled.

use crate::html::{Html, hex, short_id};
use kms_core::crypto::context::EncryptionContext;
use kms_core::kms::envelope::{Envelope, EnvelopeCall};

fn context(c: &EncryptionContext) -> String {
    if c.is_empty() {
        return "(none)".into();
    }
    c.pairs()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A plaintext as a learner typed it: text when it is printable UTF-8,
/// with its hex a click away; hex otherwise (a data key is random bytes).
fn readable(h: &mut Html, bytes: &[u8], class: &str) {
    let text = core::str::from_utf8(bytes)
        .ok()
        .filter(|t| !t.is_empty() && t.chars().all(|c| !c.is_control() || c == '\n'));
    match text {
        Some(t) => {
            h.el("code", class, t)
                .raw("<details class=\"hex\"><summary>hex</summary>")
                .el("code", "wrap", &hex(bytes))
                .raw("</details>");
        }
        None => {
            h.el("code", class, &hex(bytes));
        }
    }
}

fn arrow(h: &mut Html, arrow: &str) {
    h.raw(&format!(
        "<span class=\"arrow\" aria-hidden=\"true\">{arrow}</span>"
    ));
}

/// The diagram for one step, if its call is one the envelope explains.
pub fn envelope_html(h: &mut Html, envelope: Option<&Envelope>) {
    if let Some(e) = envelope {
        draw(h, e);
    }
}

fn plaintext_bytes(e: &Envelope) -> &[u8] {
    e.plaintext.as_ref().map(|p| p.expose()).unwrap_or_default()
}

fn draw(h: &mut Html, e: &Envelope) {
    let bytes = &e.blob;
    let version = e.backing_version;
    let key = short_id(&e.key_arn).to_string();
    let plaintext = e.plaintext.as_ref().map(|p| p.expose());
    let data_key = e.is_data_key();
    h.raw("<div class=\"envelope\" data-testid=\"envelope\"><div class=\"flow\">");
    if let Some(source) = &e.source_key_arn {
        h.raw("<div class=\"box key\" data-testid=\"envelope-source\"><strong>Source KMS key</strong> ")
            .el("code", "", short_id(source))
            .raw("<span class=\"lock\">🔒 was bound to ")
            .el("code", "", &context(e.source_context.as_ref().unwrap_or(&e.context)))
            .raw("</span></div>");
        arrow(h, "→");
    }
    h.raw("<div class=\"box key\"><strong>")
        .text(if e.call == EnvelopeCall::ReEncrypt {
            "Destination KMS key"
        } else {
            "KMS key"
        })
        .raw("</strong> ")
        .el("code", "", &key)
        .raw(&format!(
            "<span class=\"note\" data-testid=\"envelope-version\">backing-key version {version}</span></div>"
        ));
    arrow(h, "→");
    if data_key {
        // The plaintext data key encrypts the data; the KMS key encrypts
        // the data key. Two flows, so each arrow starts where it should.
        h.raw("<div class=\"box\" data-testid=\"envelope-data-key\"><strong>Data key (plaintext)</strong> ");
        match &plaintext {
            Some(p) => h
                .raw("<code class=\"secret discarded\" title=\"Use it, then drop it: only the encrypted copy is stored\">")
                .text(&hex(p))
                .raw("</code>")
                .el("span", "note", "kept in memory only, then discarded"),
            None => h.el("span", "note", "no plaintext: WithoutPlaintext"),
        };
        h.raw("</div>");
        if plaintext.is_some() {
            arrow(h, "→");
            h.raw("<div class=\"box\" data-testid=\"envelope-encrypted-data\"><strong>Encrypted data</strong>")
                .el("span", "note", "your application encrypts its data with the plaintext data key (AES-256-GCM, a fresh IV each time), outside KMS")
                .raw("</div>");
        }
        h.raw(
            "</div><div class=\"flow\"><div class=\"box key\"><strong>The same data key</strong>",
        )
        .el(
            "span",
            "note",
            "encrypted by KMS under the KMS key, returned with it",
        )
        .raw("</div>");
        arrow(h, "→");
    } else if e.call == EnvelopeCall::Decrypt {
        h.raw("<div class=\"box\" data-testid=\"envelope-plaintext\"><strong>Plaintext</strong> ");
        readable(h, plaintext_bytes(e), "secret");
        h.raw("</div>");
        arrow(h, "←");
    } else if e.call == EnvelopeCall::Encrypt {
        h.raw("<div class=\"box\" data-testid=\"envelope-plaintext\"><strong>Plaintext</strong> ");
        readable(h, plaintext_bytes(e), "secret");
        h.raw("</div>");
        arrow(h, "→");
    }
    h.raw("<div class=\"box blob\"><strong>")
        .text(if data_key {
            "Encrypted data key (CiphertextBlob)"
        } else {
            "CiphertextBlob"
        })
        .raw("</strong>");
    if data_key {
        h.el("span", "note", "store it beside the encrypted data");
    }
    h.raw("<span class=\"lock\" data-testid=\"envelope-aad\">🔒 AAD: encryption context ")
        .el("code", "", &context(&e.context))
        .raw("</span></div>");
    h.raw("</div><details class=\"blob-fields\"><summary>")
        .text(&format!(
            "The blob, {} bytes, field by field (the simulator's own format)",
            bytes.len()
        ))
        .raw("</summary><p class=\"note\" data-testid=\"blob-format-note\">AWS does not document the format of its ciphertext blobs. This layout is the simulator's: it carries what KMS must know to decrypt (which key, which backing-key version, the IV and the tag), so you can see where each part lives; a real blob is different.</p><p class=\"note\">Base64 (what the API returns): ")
        .el("code", "wrap", &kms_core::base64_blob::encode(bytes))
        .raw("</p><table><thead><tr><th>Bytes</th><th>Field</th><th>Hex</th><th>Meaning</th></tr></thead><tbody>");
    for (i, f) in e.fields.iter().enumerate() {
        let part = &bytes[f.range.clone()];
        let shown = if part.len() > 24 {
            format!("{}…", hex(&part[..24]))
        } else {
            hex(part)
        };
        h.raw(&format!(
            "<tr class=\"f{}\"><td>{}–{}</td>",
            i % 5,
            f.range.start,
            f.range.end - 1
        ))
        .el("td", "", f.name)
        .raw("<td>")
        .el("code", "", &shown)
        .raw("</td>")
        .el("td", "", &f.meaning)
        .raw("</tr>");
    }
    h.raw("</tbody></table></details></div>");
}
